package dev.berth.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One RSA signing key per sandbox LMS, made at start (as each real LMS has its own), and their JWKS. */
final class SandboxKeys {

    private final Map<String, RSAKey> keys = new LinkedHashMap<>();

    SandboxKeys(List<SandboxPlatform> platforms) {
        SecureRandom random = new SecureRandom();
        for (SandboxPlatform platform : platforms) {
            byte[] suffix = new byte[4];
            random.nextBytes(suffix);
            try {
                keys.put(
                        platform.key(),
                        new RSAKeyGenerator(2048)
                                .keyID(platform.key() + "-" + HexFormat.of().formatHex(suffix))
                                .keyUse(KeyUse.SIGNATURE)
                                .algorithm(JWSAlgorithm.RS256)
                                .generate());
            } catch (JOSEException e) {
                throw new IllegalStateException("Cannot generate the sandbox's RSA keys", e);
            }
        }
    }

    /** RS256 with the platform's key, its kid in the header, typ JWT (LTI Security §5.1.2). */
    String sign(SandboxPlatform platform, JWTClaimsSet claims) {
        RSAKey key = key(platform);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign with the sandbox key " + key.getKeyID(), e);
        }
        return jwt.serialize();
    }

    Map<String, Object> publicJwks(SandboxPlatform platform) {
        return new JWKSet(key(platform).toPublicJWK()).toJSONObject(true);
    }

    String keyId(SandboxPlatform platform) {
        return key(platform).getKeyID();
    }

    private RSAKey key(SandboxPlatform platform) {
        RSAKey key = keys.get(platform.key());
        if (key == null) {
            throw new IllegalArgumentException("No sandbox key for " + platform.key());
        }
        return key;
    }
}
