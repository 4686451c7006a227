package dev.berth.lti;

import dev.berth.audit.AuditLog;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Registered platforms and their deployments, stored in PostgreSQL. */
@Component
public class PlatformRegistry {

    private static final String SELECT = """
            SELECT p.*, coalesce(array_agg(d.deployment_id ORDER BY d.id) FILTER (WHERE d.id IS NOT NULL), '{}') AS deployments
            FROM platform p LEFT JOIN deployment d ON d.platform_id = p.id
            """;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final PlatformChanges changes;
    private volatile Registrations registrations;

    PlatformRegistry(JdbcClient jdbc, AuditLog audit, Clock clock, PlatformChanges changes) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.changes = changes;
    }

    /** Every registration as read at one {@link PlatformChanges#generation()}. */
    private record Registrations(
            long generation, List<Platform> all, Map<Long, Platform> byId, Set<String> frameOrigins) {

        static Registrations of(long generation, List<Platform> all) {
            Map<Long, Platform> byId = new HashMap<>();
            all.forEach(platform -> byId.put(platform.id(), platform));
            return new Registrations(generation, all, Map.copyOf(byId), frameOriginsOf(all));
        }
    }

    /** The frame origins as last read from the database, for while {@link PlatformChanges} hears nothing. */
    private record ReadOrigins(Set<String> origins, long generation, Instant at) {}

    private static final Duration FRAME_ORIGINS_REFRESH = Duration.ofSeconds(10);

    private volatile ReadOrigins readOrigins = new ReadOrigins(Set.of(), -1, Instant.EPOCH);

    /**
     * The registrations in memory, read again whenever {@link PlatformChanges} saw a change; null while it
     * hears none (then every call reads the database). Launches look a platform up twice each: this keeps both
     * lookups off the database. The generation is taken before reading, so a change that lands during the read
     * makes the result stale at once.
     */
    private Registrations cached() {
        if (!changes.listening() || changes.changedInThisTransaction()) {
            return null;
        }
        long generation = changes.generation();
        Registrations current = registrations;
        if (current != null && current.generation() == generation) {
            return current;
        }
        Registrations fresh = Registrations.of(generation, all());
        registrations = fresh;
        return fresh;
    }

    public List<Platform> all() {
        return jdbc.sql(SELECT + " GROUP BY p.id ORDER BY p.name, p.id")
                .query(PlatformRegistry::map)
                .list();
    }

    public Optional<Platform> find(long id) {
        Registrations cached = cached();
        if (cached != null) {
            return Optional.ofNullable(cached.byId().get(id));
        }
        return jdbc.sql(SELECT + " WHERE p.id = ? GROUP BY p.id")
                .param(id)
                .query(PlatformRegistry::map)
                .optional();
    }

    /**
     * The registration a login names. With no client_id, one issuer holding several registrations is
     * ambiguous: we refuse rather than guess (LTI Core §4.1, {@code client_id} login parameter).
     */
    public Lookup lookup(String issuer, String clientId) {
        Registrations cached = cached();
        List<Platform> matches = cached != null
                ? cached.all().stream()
                        .filter(platform -> platform.issuer().equals(issuer)
                                && (clientId == null || Objects.equals(platform.clientId(), clientId)))
                        .toList()
                : jdbc.sql(SELECT + " WHERE p.issuer = ? AND (?::text IS NULL OR p.client_id = ?)" + " GROUP BY p.id")
                        .params(issuer, clientId, clientId)
                        .query(PlatformRegistry::map)
                        .list();
        if (matches.size() == 1) {
            return new Lookup(Optional.of(matches.getFirst()), false);
        }
        return new Lookup(Optional.empty(), matches.size() > 1);
    }

    public record Lookup(Optional<Platform> platform, boolean ambiguous) {}

    @Transactional
    public Platform create(PlatformDraft draft, String source, String actor) {
        long id;
        try {
            id = jdbc.sql("""
                            INSERT INTO platform (issuer, client_id, name, product, auth_url, token_url, jwks_url,
                                                  token_audience, frame_origins, enabled, source, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""").params(values(draft, source)).query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw new DuplicatePlatformException(draft.issuer(), draft.clientId());
        }
        replaceDeployments(id, draft.deploymentIds());
        changes.changed();
        audit.record(actor, "platform.create", "platform:" + id, summary(draft));
        return find(id).orElseThrow();
    }

    @Transactional
    public Optional<Platform> update(long id, PlatformDraft draft, String source, String actor) {
        int rows;
        try {
            rows = jdbc.sql("""
                            UPDATE platform SET issuer = ?, client_id = ?, name = ?, product = ?, auth_url = ?,
                                   token_url = ?, jwks_url = ?, token_audience = ?, frame_origins = ?, enabled = ?,
                                   source = ?, updated_at = ?
                            WHERE id = ?""").params(append(values(draft, source), id)).update();
        } catch (DuplicateKeyException e) {
            throw new DuplicatePlatformException(draft.issuer(), draft.clientId());
        }
        if (rows == 0) {
            return Optional.empty();
        }
        replaceDeployments(id, draft.deploymentIds());
        changes.changed();
        audit.record(actor, "platform.update", "platform:" + id, summary(draft));
        return find(id);
    }

    /**
     * Creates or updates the registration with this (issuer, client_id); used by configuration and by
     * tools that register themselves. Returns the stored platform.
     */
    @Transactional
    public Platform upsert(PlatformDraft draft, String source, String actor) {
        Optional<Platform> existing = lookup(draft.issuer(), draft.clientId()).platform();
        if (existing.isPresent()) {
            if (PlatformDraft.of(existing.get()).equals(draft)
                    && existing.get().source().equals(source)) {
                return existing.get();
            }
            return update(existing.get().id(), draft, source, actor).orElseThrow();
        }
        return create(draft, source, actor);
    }

    /**
     * Removes a registration with everything learned through it, or reports that its courses must stay:
     * a platform with courses is disabled instead (the courses and rosters are the customer's data).
     */
    @Transactional
    public DeleteOutcome delete(long id, String actor) {
        Optional<Platform> platform = find(id);
        if (platform.isEmpty()) {
            return DeleteOutcome.NOT_FOUND;
        }
        long courses = jdbc.sql("SELECT count(*) FROM course WHERE platform_id = ?")
                .param(id)
                .query(Long.class)
                .single();
        if (courses > 0) {
            return DeleteOutcome.HAS_COURSES;
        }
        // person and oidc_state carry no foreign key to platform (V10: no lock on the platform row per launch).
        jdbc.sql("DELETE FROM person WHERE platform_id = ?").param(id).update();
        jdbc.sql("DELETE FROM oidc_state WHERE platform_id = ?").param(id).update();
        jdbc.sql("DELETE FROM platform WHERE id = ?").param(id).update();
        changes.changed();
        audit.record(actor, "platform.delete", "platform:" + id, summary(PlatformDraft.of(platform.get())));
        return DeleteOutcome.DELETED;
    }

    public enum DeleteOutcome {
        DELETED,
        NOT_FOUND,
        HAS_COURSES
    }

    /**
     * The origins that may frame Berth's pages: every enabled platform's. From memory while {@link PlatformChanges}
     * listens; otherwise read again whenever its generation moves (a change made here
     * included) and at least every ten seconds for changes made by other replicas. The same set instance is returned until it changes.
     */
    public Set<String> frameOrigins() {
        Registrations cached = cached();
        if (cached != null) {
            return cached.frameOrigins();
        }
        ReadOrigins current = readOrigins;
        Instant now = clock.instant();
        long generation = changes.generation();
        if (current.generation() != generation
                || current.at().plus(FRAME_ORIGINS_REFRESH).isBefore(now)) {
            current = new ReadOrigins(frameOriginsOf(all()), generation, now);
            readOrigins = current;
        }
        return current.origins();
    }

    private static Set<String> frameOriginsOf(List<Platform> platforms) {
        Set<String> origins = new LinkedHashSet<>();
        for (Platform platform : platforms) {
            if (platform.enabled()) {
                origins.addAll(platform.allowedFrameOrigins());
            }
        }
        return Collections.unmodifiableSet(origins);
    }

    private void replaceDeployments(long platformId, List<String> deploymentIds) {
        List<String> current = jdbc.sql("SELECT deployment_id FROM deployment WHERE platform_id = ?")
                .param(platformId)
                .query(String.class)
                .list();
        for (String removed : current) {
            if (!deploymentIds.contains(removed)) {
                // A deployment that has courses stays: removing it would orphan them. It is listed again.
                jdbc.sql("""
                                DELETE FROM deployment d WHERE platform_id = ? AND deployment_id = ?
                                AND NOT EXISTS (SELECT 1 FROM course c WHERE c.deployment_id = d.id)""").params(platformId, removed).update();
            }
        }
        for (String added : deploymentIds) {
            jdbc.sql("INSERT INTO deployment (platform_id, deployment_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .params(platformId, added)
                    .update();
        }
    }

    private Object[] values(PlatformDraft draft, String source) {
        return new Object[] {
            draft.issuer(),
            draft.clientId(),
            draft.name(),
            draft.product(),
            draft.authUrl(),
            draft.tokenUrl(),
            draft.jwksUrl(),
            draft.tokenAudience(),
            draft.frameOrigins().toArray(String[]::new),
            draft.enabled(),
            source,
            Timestamp.from(clock.instant())
        };
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] result = Arrays.copyOf(values, values.length + 1);
        result[values.length] = last;
        return result;
    }

    private static Map<String, Object> summary(PlatformDraft draft) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", draft.name());
        details.put("issuer", draft.issuer());
        details.put("clientId", draft.clientId());
        details.put("deployments", draft.deploymentIds());
        details.put("enabled", draft.enabled());
        return details;
    }

    private static Platform map(ResultSet rs, int row) throws SQLException {
        return new Platform(
                rs.getLong("id"),
                rs.getString("issuer"),
                rs.getString("client_id"),
                rs.getString("name"),
                rs.getString("product"),
                rs.getString("auth_url"),
                rs.getString("token_url"),
                rs.getString("jwks_url"),
                rs.getString("token_audience"),
                strings(rs.getArray("frame_origins")),
                rs.getBoolean("enabled"),
                rs.getString("source"),
                strings(rs.getArray("deployments")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
