package dev.berth.lti;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.berth.audit.AuditLog;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Berth's RSA signing keys: generated on first start, encrypted at rest, published at the JWKS endpoint.
 *
 * <p>Rotation never surprises a platform: a new key is published {@code publishLead} before it signs, and
 * the key it replaces stays published until everything it signed has expired. Key states are derived
 * from timestamps, so replicas agree without coordination.
 */
@Component
public class ToolKeys {

    private static final Logger log = LoggerFactory.getLogger(ToolKeys.class);
    /** Serialises key creation across replicas (pg_advisory_xact_lock). */
    private static final long KEY_LOCK = 0x4245525448L;

    private final JdbcClient jdbc;
    private final KeyEncryption encryption;
    private final KeyProperties properties;
    private final AuditLog audit;
    private final Clock clock;
    private volatile RSAKey signingKey;

    ToolKeys(JdbcClient jdbc, KeyEncryption encryption, KeyProperties properties, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /** Makes sure a key exists: the first start of an installation creates one that signs at once. */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void ensureKey() {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(KEY_LOCK).query().singleValue();
        long keys = jdbc.sql("SELECT count(*) FROM tool_key").query(Long.class).single();
        if (keys == 0) {
            String kid = insertKey(clock.instant());
            audit.record("berth", "key.create", "tool_key:" + kid, Map.of("reason", "first start"));
            log.info("Generated Berth's first signing key {}", kid);
        }
    }

    /** The key that signs now. */
    public RSAKey signingKey() {
        Instant now = clock.instant();
        String kid = jdbc.sql(
                        "SELECT kid FROM tool_key WHERE activates_at <= ? ORDER BY activates_at DESC, kid LIMIT 1")
                .param(Timestamp.from(now))
                .query(String.class)
                .optional()
                .orElseThrow(() -> new IllegalStateException("Berth has no active signing key"));
        RSAKey cached = signingKey;
        if (cached != null && cached.getKeyID().equals(kid)) {
            return cached;
        }
        String encrypted = jdbc.sql("SELECT private_jwk_encrypted FROM tool_key WHERE kid = ?")
                .param(kid)
                .query(String.class)
                .single();
        try {
            RSAKey key = RSAKey.parse(encryption.decrypt(encrypted));
            signingKey = key;
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key " + kid + " is not a valid JWK", e);
        }
    }

    /** Every key a platform may meet: next, active and retired ones still inside their overlap. */
    public JWKSet publishedKeys() {
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (String json : jdbc.sql("SELECT public_jwk FROM tool_key WHERE unpublish_at IS NULL OR unpublish_at > ?"
                        + " ORDER BY activates_at DESC")
                .param(Timestamp.from(clock.instant()))
                .query(String.class)
                .list()) {
            try {
                keys.add(RSAKey.parse(json));
            } catch (ParseException e) {
                throw new IllegalStateException("A stored public key is not a valid JWK", e);
            }
        }
        return new JWKSet(keys);
    }

    public List<ToolKey> list() {
        Instant now = clock.instant();
        List<ToolKey> keys = new ArrayList<>();
        boolean activeSeen = false;
        for (var row : jdbc.sql("SELECT kid, created_at, activates_at, unpublish_at FROM tool_key"
                        + " WHERE unpublish_at IS NULL OR unpublish_at > ? ORDER BY activates_at DESC, kid")
                .param(Timestamp.from(now))
                .query()
                .listOfRows()) {
            Instant activates = ((Timestamp) row.get("activates_at")).toInstant();
            ToolKey.State state;
            if (activates.isAfter(now)) {
                state = ToolKey.State.NEXT;
            } else if (!activeSeen) {
                state = ToolKey.State.ACTIVE;
                activeSeen = true;
            } else {
                state = ToolKey.State.RETIRED;
            }
            Timestamp unpublish = (Timestamp) row.get("unpublish_at");
            keys.add(new ToolKey(
                    (String) row.get("kid"),
                    state,
                    ((Timestamp) row.get("created_at")).toInstant(),
                    activates,
                    unpublish == null ? null : unpublish.toInstant()));
        }
        return keys;
    }

    /**
     * Publishes a new key that takes over after {@code publishLead}; the keys it supersedes stay published
     * until what they signed has expired. A rotation already pending is returned instead of a second one.
     */
    @Transactional
    public ToolKey rotate(String actor, String reason) {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(KEY_LOCK).query().singleValue();
        Instant now = clock.instant();
        for (ToolKey key : list()) {
            if (key.state() == ToolKey.State.NEXT) {
                return key;
            }
        }
        Instant activates = now.plus(properties.publishLead());
        Instant unpublish = activates.plus(properties.tokenLifetime()).plus(properties.publishLead());
        jdbc.sql("UPDATE tool_key SET unpublish_at = ? WHERE activates_at <= ? AND unpublish_at IS NULL")
                .params(Timestamp.from(unpublish), Timestamp.from(now))
                .update();
        String kid = insertKey(activates);
        audit.record(
                actor, "key.rotate", "tool_key:" + kid, Map.of("reason", reason, "activatesAt", activates.toString()));
        log.info("Rotating signing keys: {} signs from {}", kid, activates);
        return list().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    /** Rotates keys older than {@code berth.keys.max-age} and forgets keys past their publication. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public void maintain() {
        Instant now = clock.instant();
        Duration maxAge = properties.maxAge();
        list().stream()
                .filter(key -> key.state() == ToolKey.State.ACTIVE)
                .filter(key -> key.activatesAt().plus(maxAge).isBefore(now))
                .findFirst()
                .ifPresent(key -> rotate("berth", "older than berth.keys.max-age (" + maxAge + ")"));
        jdbc.sql("DELETE FROM tool_key WHERE unpublish_at <= ?")
                .param(Timestamp.from(now))
                .update();
    }

    private String insertKey(Instant activatesAt) {
        String kid = UUID.randomUUID().toString();
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not generate an RSA key", e);
        }
        jdbc.sql("INSERT INTO tool_key (kid, public_jwk, private_jwk_encrypted, created_at, activates_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .params(
                        kid,
                        key.toPublicJWK().toJSONString(),
                        encryption.encrypt(key.toJSONString()),
                        Timestamp.from(clock.instant()),
                        Timestamp.from(activatesAt))
                .update();
        return kid;
    }
}
