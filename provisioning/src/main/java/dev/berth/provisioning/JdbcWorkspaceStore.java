package dev.berth.provisioning;

import static dev.berth.provisioning.JdbcJobQueue.at;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Workspaces, their environments and their event timeline in PostgreSQL. */
final class JdbcWorkspaceStore {

    /** A workspace row with what the runner needs besides the public view. */
    record Row(
            Workspace workspace,
            WorkspaceSpec spec,
            BackendRefs refs,
            boolean restartPending,
            boolean wipeHome,
            Reset reset) {
        UUID id() {
            return workspace.id();
        }

        WorkspaceState state() {
            return workspace.state();
        }

        WorkspaceState desired() {
            return workspace.desiredState();
        }
    }

    record Environment(long id, String key, boolean enabled) {}

    /** A pending "reset to starter files": the backup folder once chosen, and whether the files are in it. */
    record Reset(boolean pending, String backup, boolean backedUp) {}

    private static final String SELECT_ROW = """
            SELECT w.*, e.key AS env_key, e.kind AS env_kind, e.local_command, e.image, e.port, e.base_path_mode,
                   e.health_path, e.cpu_millis, e.memory_mib, e.env, e.start_timeout_seconds,
                   s.sha256 AS starter_sha256
            FROM workspace w JOIN environment e ON e.id = w.environment_id
            LEFT JOIN starter_archive s ON s.id = w.starter_archive_id
            """;

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    JdbcWorkspaceStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Optional<Environment> environment(String key) {
        return jdbc.sql("SELECT id, key, enabled FROM environment WHERE key = :key")
                .param("key", key)
                .query((rs, n) -> new Environment(rs.getLong("id"), rs.getString("key"), rs.getBoolean("enabled")))
                .optional();
    }

    /** Inserts the workspace unless one exists for the key; returns the new id when this call created it. */
    Optional<UUID> insertIfAbsent(String ownerRef, String scopeRef, Environment environment, String backend) {
        return insertIfAbsent(ownerRef, scopeRef, environment, backend, null);
    }

    /** As above, its home to be seeded from the starter archive {@code starterArchiveId} (null for none). */
    Optional<UUID> insertIfAbsent(
            String ownerRef, String scopeRef, Environment environment, String backend, UUID starterArchiveId) {
        OffsetDateTime now = at(clock.instant());
        return jdbc.sql("""
                        INSERT INTO workspace (id, owner_ref, scope_ref, environment_id, desired_state, state,
                                               state_changed_at, backend, last_activity_at, created_at, updated_at,
                                               starter_archive_id)
                        VALUES (:id, :owner, :scope, :env, 'RUNNING', 'PROVISIONING', :now, :backend, :now, :now, :now,
                                :starter)
                        ON CONFLICT (owner_ref, scope_ref, environment_id) DO NOTHING
                        RETURNING id
                        """)
                .param("id", UUID.randomUUID())
                .param("starter", starterArchiveId)
                .param("owner", ownerRef)
                .param("scope", scopeRef)
                .param("env", environment.id())
                .param("backend", backend)
                .param("now", now)
                .query(UUID.class)
                .optional();
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql(SELECT_ROW + " WHERE w.id = :id")
                .param("id", id)
                .query(this::row)
                .optional();
    }

    Optional<Row> lock(UUID id) {
        return jdbc.sql(SELECT_ROW + " WHERE w.id = :id FOR UPDATE OF w")
                .param("id", id)
                .query(this::row)
                .optional();
    }

    Optional<Row> find(String ownerRef, String scopeRef, long environmentId) {
        return jdbc.sql(SELECT_ROW + " WHERE w.owner_ref = :owner AND w.scope_ref = :scope AND w.environment_id = :env")
                .param("owner", ownerRef)
                .param("scope", scopeRef)
                .param("env", environmentId)
                .query(this::row)
                .optional();
    }

    List<Row> inScope(String scopeRef) {
        return jdbc.sql(SELECT_ROW + " WHERE w.scope_ref = :scope ORDER BY w.owner_ref, e.key")
                .param("scope", scopeRef)
                .query(this::row)
                .list();
    }

    List<Row> ofBackend(String backend) {
        return jdbc.sql(SELECT_ROW + " WHERE w.backend = :backend")
                .param("backend", backend)
                .query(this::row)
                .list();
    }

    /** Sets what is asked of the workspace; the runner alone changes {@code state}. */
    void setDesired(UUID id, WorkspaceState desired, boolean restart, boolean wipeHome) {
        jdbc.sql("""
                        UPDATE workspace SET desired_state = :desired, restart_pending = restart_pending OR :restart,
                               wipe_home = :wipe, updated_at = :now, version = version + 1
                        WHERE id = :id
                        """)
                .param("desired", desired.name())
                .param("restart", restart)
                .param("wipe", wipeHome)
                .param("now", at(clock.instant()))
                .param("id", id)
                .update();
    }

    /**
     * Asks for a reset to starter files (merged into one already pending), from {@code starterArchiveId} when
     * {@code replaceStarter} (null: none), else from the archive the workspace already names.
     */
    void requestReset(UUID id, boolean replaceStarter, UUID starterArchiveId) {
        jdbc.sql("""
                        UPDATE workspace SET reset_pending = true,
                               reset_backup = CASE WHEN reset_pending THEN reset_backup END,
                               reset_backed_up = reset_pending AND reset_backed_up,
                               starter_archive_id = CASE WHEN :replace THEN :starter ELSE starter_archive_id END,
                               updated_at = :now, version = version + 1
                        WHERE id = :id
                        """)
                .param("replace", replaceStarter)
                .param("starter", starterArchiveId)
                .param("now", at(clock.instant()))
                .param("id", id)
                .update();
    }

    /** Records the backup folder of the pending reset, unless one was chosen already; returns the one that holds. */
    String chooseResetBackup(UUID id, String folder) {
        return jdbc.sql("""
                        UPDATE workspace SET reset_backup = coalesce(reset_backup, :folder)
                        WHERE id = :id RETURNING reset_backup
                        """)
                .param("folder", folder)
                .param("id", id)
                .query(String.class)
                .single();
    }

    void resetBackedUp(UUID id, String message) {
        jdbc.sql("UPDATE workspace SET reset_backed_up = true WHERE id = :id AND reset_pending")
                .param("id", id)
                .update();
        event(id, "step", WorkspaceState.PROVISIONING, message);
    }

    void resetDone(UUID id, String message) {
        jdbc.sql("""
                        UPDATE workspace SET reset_pending = false, reset_backup = NULL, reset_backed_up = false
                        WHERE id = :id
                        """).param("id", id).update();
        event(id, "step", WorkspaceState.PROVISIONING, message);
    }

    /**
     * Moves the state, only if it is still {@code from} and the job is still held by its claimant: a runner
     * that lost its claim can never write. Returns false when nothing was changed.
     */
    boolean move(Row row, WorkspaceState to, Job job, Change change) {
        if (!row.state().canMoveTo(to)) {
            throw new IllegalStateException("A workspace cannot move from " + row.state() + " to " + to);
        }
        OffsetDateTime now = at(clock.instant());
        BackendRefs refs = change.refs() == null ? row.refs() : change.refs();
        int updated = jdbc.sql("""
                        UPDATE workspace SET state = :to, state_changed_at = :now, updated_at = :now,
                               version = version + 1, backend_refs = :refs::jsonb, endpoint = :endpoint,
                               failure = :failure,
                               restart_pending = CASE WHEN :clearRestart THEN false ELSE restart_pending END
                        WHERE id = :id AND state = :from
                          AND EXISTS (SELECT 1 FROM job WHERE id = :job AND claimed_by = :me AND finished_at IS NULL)
                        """)
                .param("to", to.name())
                .param("now", now)
                .param("refs", json.writeValueAsString(refs.values()))
                .param("endpoint", change.endpoint())
                .param("failure", change.failure())
                .param("clearRestart", change.clearRestart())
                .param("id", row.id())
                .param("from", row.state().name())
                .param("job", job.id())
                .param("me", job.claimedBy())
                .update();
        if (updated == 1) {
            event(row.id(), "state", to, change.message());
        }
        return updated == 1;
    }

    /** What else changes with a state move. */
    record Change(String message, BackendRefs refs, String endpoint, String failure, boolean clearRestart) {
        static Change of(String message) {
            return new Change(message, null, null, null, false);
        }

        Change refs(BackendRefs newRefs) {
            return new Change(message, newRefs, endpoint, failure, clearRestart);
        }

        Change endpoint(String newEndpoint) {
            return new Change(message, refs, newEndpoint, failure, clearRestart);
        }

        Change failure(String newFailure) {
            return new Change(message, refs, endpoint, newFailure, clearRestart);
        }

        Change clearingRestart() {
            return new Change(message, refs, endpoint, failure, true);
        }
    }

    void saveRefs(Row row, BackendRefs refs) {
        jdbc.sql("UPDATE workspace SET backend_refs = :refs::jsonb, updated_at = :now WHERE id = :id")
                .param("refs", json.writeValueAsString(refs.values()))
                .param("now", at(clock.instant()))
                .param("id", row.id())
                .update();
    }

    /** Only moves forward, and at most once per {@code throttle}, so a busy gateway does not write per request. */
    boolean recordActivity(UUID id, Duration throttle) {
        Instant now = clock.instant();
        return jdbc.sql("UPDATE workspace SET last_activity_at = :now WHERE id = :id AND last_activity_at < :before")
                        .param("now", at(now))
                        .param("id", id)
                        .param("before", at(now.minus(throttle)))
                        .update()
                == 1;
    }

    /**
     * Asks every RUNNING workspace idle past its environment's timeout to stop; returns their ids. Idle counts from
     * the last activity or from reaching RUNNING, whichever is later: a workspace started again after an idle stop
     * has old activity, and must not be stopped before its student had the time to open it.
     */
    List<UUID> markIdleForStop() {
        return jdbc.sql("""
                        UPDATE workspace w SET desired_state = 'STOPPED', updated_at = :now, version = w.version + 1
                        FROM environment e
                        WHERE e.id = w.environment_id AND w.state = 'RUNNING' AND w.desired_state = 'RUNNING'
                          AND GREATEST(w.last_activity_at, w.state_changed_at)
                              < :now - make_interval(secs => e.idle_timeout_seconds)
                        RETURNING w.id
                        """).param("now", at(clock.instant())).query(UUID.class).list();
    }

    /** Every workspace of a scope with its last measured home size, in one query: what staff pages list. */
    List<WorkspaceSummary> summaries(String scopeRef) {
        return jdbc.sql(SELECT_ROW + " WHERE w.scope_ref = :scope ORDER BY w.owner_ref, e.key")
                .param("scope", scopeRef)
                .query((rs, n) -> {
                    Long bytes = rs.getObject("home_bytes", Long.class);
                    OffsetDateTime measuredAt = rs.getObject("home_measured_at", OffsetDateTime.class);
                    return new WorkspaceSummary(
                            row(rs, n).workspace(), bytes, measuredAt == null ? null : measuredAt.toInstant());
                })
                .list();
    }

    /**
     * Claims up to {@code limit} RUNNING or STOPPED workspaces of a backend whose home was not measured within
     * {@code every}, oldest measurement first, by stamping them now: replicas measuring at the same time take
     * different rows ({@code SKIP LOCKED}), and a failed measurement waits for the next round.
     */
    List<UUID> claimHomesToMeasure(String backend, Duration every, int limit) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        UPDATE workspace SET home_measured_at = :now
                        WHERE id IN (SELECT id FROM workspace
                                     WHERE backend = :backend AND state IN ('RUNNING', 'STOPPED')
                                       AND (home_measured_at IS NULL OR home_measured_at <= :due)
                                     ORDER BY home_measured_at NULLS FIRST LIMIT :limit
                                     FOR UPDATE SKIP LOCKED)
                        RETURNING id
                        """)
                .param("now", at(now))
                .param("backend", backend)
                .param("due", at(now.minus(every)))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    void saveHomeBytes(UUID id, long bytes) {
        jdbc.sql("UPDATE workspace SET home_bytes = :bytes, home_measured_at = :now WHERE id = :id")
                .param("bytes", bytes)
                .param("now", at(clock.instant()))
                .param("id", id)
                .update();
    }

    void event(UUID workspaceId, String kind, WorkspaceState state, String message) {
        jdbc.sql("""
                        INSERT INTO workspace_event (workspace_id, at, kind, state, message)
                        VALUES (:ws, :at, :kind, :state, :message)
                        """)
                .param("ws", workspaceId)
                .param("at", at(clock.instant()))
                .param("kind", kind)
                .param("state", state.name())
                .param("message", message)
                .update();
    }

    List<WorkspaceEvent> events(UUID workspaceId, long afterId) {
        return jdbc.sql("""
                        SELECT id, workspace_id, at, kind, state, message FROM workspace_event
                        WHERE workspace_id = :ws AND id > :after ORDER BY id
                        """)
                .param("ws", workspaceId)
                .param("after", afterId)
                .query((rs, n) -> new WorkspaceEvent(
                        rs.getLong("id"),
                        rs.getObject("workspace_id", UUID.class),
                        rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("kind"),
                        WorkspaceState.valueOf(rs.getString("state")),
                        rs.getString("message")))
                .list();
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        Workspace workspace = new Workspace(
                id,
                rs.getString("owner_ref"),
                rs.getString("scope_ref"),
                rs.getString("env_key"),
                WorkspaceState.valueOf(rs.getString("desired_state")),
                WorkspaceState.valueOf(rs.getString("state")),
                rs.getObject("state_changed_at", OffsetDateTime.class).toInstant(),
                rs.getString("backend"),
                rs.getString("endpoint"),
                rs.getObject("last_activity_at", OffsetDateTime.class).toInstant(),
                rs.getString("failure"),
                rs.getInt("version"));
        String basePath = "/ws/" + id + "/";
        String command = rs.getString("local_command");
        UUID starter = rs.getObject("starter_archive_id", UUID.class);
        WorkspaceSpec spec = new WorkspaceSpec(
                id,
                workspace.ownerRef(),
                workspace.scopeRef(),
                workspace.environmentKey(),
                rs.getString("env_kind"),
                command == null ? null : json.readValue(command, STRINGS),
                rs.getString("image"),
                rs.getInt("port"),
                basePath,
                "strip".equals(rs.getString("base_path_mode")),
                rs.getString("health_path").replace("{base_path}", basePath),
                rs.getInt("cpu_millis"),
                rs.getInt("memory_mib"),
                json.readValue(rs.getString("env"), STRING_MAP),
                Duration.ofSeconds(rs.getInt("start_timeout_seconds")),
                starter == null ? null : StarterArchives.files(jdbc, starter, rs.getString("starter_sha256")));
        return new Row(
                workspace,
                spec,
                new BackendRefs(json.readValue(rs.getString("backend_refs"), STRING_MAP)),
                rs.getBoolean("restart_pending"),
                rs.getBoolean("wipe_home"),
                new Reset(
                        rs.getBoolean("reset_pending"),
                        rs.getString("reset_backup"),
                        rs.getBoolean("reset_backed_up")));
    }
}
