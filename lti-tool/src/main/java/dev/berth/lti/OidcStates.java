package dev.berth.lti;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Login state and nonce, kept server-side so that a launch needs no cookie: single use, short-lived,
 * shared by every replica through the database.
 */
@Component
class OidcStates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final LtiProperties properties;
    private final Clock clock;

    OidcStates(JdbcClient jdbc, LtiProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    record Issued(String state, String nonce) {}

    record Stored(String nonce, long platformId, String targetLinkUri, String deploymentHint) {}

    enum Problem {
        UNKNOWN,
        EXPIRED,
        USED
    }

    Issued issue(long platformId, String targetLinkUri, String deploymentHint) {
        Issued issued = new Issued(random(), random());
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO oidc_state (state, nonce, platform_id, target_link_uri, deployment_hint, created_at,"
                        + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        issued.state(),
                        issued.nonce(),
                        platformId,
                        targetLinkUri,
                        deploymentHint,
                        Timestamp.from(now),
                        Timestamp.from(now.plus(properties.stateTtl())))
                .update();
        return issued;
    }

    /**
     * Marks the state used and returns what the login stored. Runs in the caller's transaction: a launch
     * refused later rolls the mark back, and a concurrent second use waits on the row lock, then fails.
     */
    Optional<Stored> consume(String state) {
        Instant now = clock.instant();
        return jdbc.sql("UPDATE oidc_state SET used_at = ? WHERE state = ? AND used_at IS NULL AND expires_at > ?"
                        + " RETURNING nonce, platform_id, target_link_uri, deployment_hint")
                .params(Timestamp.from(now), state, Timestamp.from(now))
                .query((rs, n) -> new Stored(
                        rs.getString("nonce"),
                        rs.getLong("platform_id"),
                        rs.getString("target_link_uri"),
                        rs.getString("deployment_hint")))
                .optional();
    }

    /** Why {@link #consume} found nothing. */
    Problem explain(String state) {
        return jdbc.sql("SELECT used_at IS NOT NULL AS used FROM oidc_state WHERE state = ?")
                .param(state)
                .query(Boolean.class)
                .optional()
                .map(used -> used ? Problem.USED : Problem.EXPIRED)
                .orElse(Problem.UNKNOWN);
    }

    /** Used states are kept until they expire, so that a replay is reported as a replay. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void purgeExpired() {
        jdbc.sql("DELETE FROM oidc_state WHERE expires_at < ?")
                .param(Timestamp.from(clock.instant().minus(properties.stateTtl())))
                .update();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
