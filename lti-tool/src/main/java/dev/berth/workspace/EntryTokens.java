package dev.berth.workspace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One-time tokens that hand a viewer over from Berth's origin to a workspace's: 256 random bits, kept only as a
 * SHA-256 hash, bound to one workspace and one viewer, redeemable once before they expire. Berth checks the
 * viewer may enter before minting one; the gateway on the workspace's host redeems it.
 */
final class EntryTokens {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** Expired tokens are deleted this long after expiry, when new ones are minted. */
    private static final Duration KEEP_EXPIRED = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    EntryTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new token for {@code viewerRef} to enter workspace {@code workspaceId} within {@code ttl}. */
    String mint(UUID workspaceId, String viewerRef, Duration ttl) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM workspace_entry_token WHERE expires_at < :before")
                .param("before", at(now.minus(KEEP_EXPIRED)))
                .update();
        jdbc.sql("""
                        INSERT INTO workspace_entry_token (token_hash, workspace_id, viewer_ref, created_at, expires_at)
                        VALUES (:hash, :workspace, :viewer, :now, :expires)
                        """)
                .param("hash", hash(token))
                .param("workspace", workspaceId)
                .param("viewer", viewerRef)
                .param("now", at(now))
                .param("expires", at(now.plus(ttl)))
                .update();
        return token;
    }

    /**
     * The viewer the token was minted for, if it is one of this workspace's, unexpired and unused; it is then used.
     * Anything else (malformed, unknown, expired, used, another workspace's) changes nothing.
     */
    Optional<String> redeem(String token, UUID workspaceId) {
        if (token == null || !FORMAT.matcher(token).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        UPDATE workspace_entry_token SET used_at = :now
                        WHERE token_hash = :hash AND workspace_id = :workspace AND used_at IS NULL AND expires_at > :now
                        RETURNING viewer_ref
                        """)
                .param("now", at(clock.instant()))
                .param("hash", hash(token))
                .param("workspace", workspaceId)
                .query(String.class)
                .optional();
    }

    /** Makes an unused token of this workspace unusable (one that turned out not to be needed). */
    void discard(String token, UUID workspaceId) {
        if (token == null || !FORMAT.matcher(token).matches()) {
            return;
        }
        jdbc.sql("""
                        UPDATE workspace_entry_token SET used_at = :now
                        WHERE token_hash = :hash AND workspace_id = :workspace AND used_at IS NULL
                        """)
                .param("now", at(clock.instant()))
                .param("hash", hash(token))
                .param("workspace", workspaceId)
                .update();
    }

    static boolean wellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
