package dev.berth.lti;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import dev.berth.database.DatabaseProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Encrypts private keys at rest as compact JWE (dir, A256GCM) under the configured key. */
@Component
class KeyEncryption {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryption.class);

    private final SecretKey key;

    KeyEncryption(KeyProperties properties, DatabaseProperties database, Environment environment) {
        this.key = new SecretKeySpec(loadKey(properties, database, environment), "AES");
    }

    String encrypt(String plaintext) {
        try {
            JWEObject jwe =
                    new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(plaintext));
            jwe.encrypt(new DirectEncrypter(key));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not encrypt a private key", e);
        }
    }

    String decrypt(String compact) {
        try {
            JWEObject jwe = JWEObject.parse(compact);
            jwe.decrypt(new DirectDecrypter(key));
            return jwe.getPayload().toString();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(
                    "Could not decrypt a stored private key: berth.keys.encryption-key is not the key it was stored with",
                    e);
        }
    }

    private static byte[] loadKey(KeyProperties properties, DatabaseProperties database, Environment environment) {
        if (properties.encryptionKey() != null && !properties.encryptionKey().isBlank()) {
            return decode(properties.encryptionKey().strip(), "berth.keys.encryption-key");
        }
        if (!environment.getProperty("spring.datasource.url", "").isEmpty()) {
            throw new IllegalStateException("Set berth.keys.encryption-key (base64 of 32 random bytes, for example"
                    + " `openssl rand -base64 32`): with an external database every Berth replica must share it.");
        }
        Path file = database.dataDir().toAbsolutePath().resolve("keys-encryption.key");
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file).strip(), file.toString());
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.warn("Could not restrict the permissions of {}", file);
            }
            log.info("Generated the key that encrypts Berth's private keys at rest: {}", file);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not valid base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(where + " must hold 32 bytes (256 bits); it holds " + bytes.length);
        }
        return bytes;
    }
}
