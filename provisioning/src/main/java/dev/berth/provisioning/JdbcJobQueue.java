package dev.berth.provisioning;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The durable job queue (after Coder's provisioner jobs): one unfinished job per workspace, claimed with a
 * single statement, kept alive by heartbeats, taken over when the heartbeat goes stale. A job's status is
 * derived from its timestamps.
 */
final class JdbcJobQueue {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final EngineSettings settings;

    JdbcJobQueue(JdbcClient jdbc, Clock clock, EngineSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Makes sure an unfinished job exists for the workspace and is due now. Concurrent callers coalesce into
     * one job (the partial unique index). Returns true when this call created it.
     */
    boolean enqueue(UUID workspaceId) {
        OffsetDateTime now = at(clock.instant());
        return jdbc.sql("""
                        INSERT INTO job (workspace_id, kind, created_at, run_after, max_attempts)
                        VALUES (:ws, 'converge', :now, :now, :max)
                        ON CONFLICT (workspace_id) WHERE finished_at IS NULL
                        DO UPDATE SET run_after = LEAST(job.run_after, EXCLUDED.run_after)
                        RETURNING (xmax = 0) AS inserted
                        """)
                .param("ws", workspaceId)
                .param("now", now)
                .param("max", settings.maxAttempts())
                .query(Boolean.class)
                .single();
    }

    /**
     * Claims the oldest due job nobody holds (or whose holder stopped heartbeating) in one statement. A
     * takeover counts as a failed attempt, so a step that crashes its runner does not loop forever.
     */
    Optional<Job> claim(String runner) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        UPDATE job SET claimed_by = :me, heartbeat_at = :now,
                               attempts = attempts + CASE WHEN claimed_by IS NULL THEN 0 ELSE 1 END
                        WHERE id = (SELECT id FROM job
                                    WHERE finished_at IS NULL AND run_after <= :now
                                      AND (claimed_by IS NULL OR heartbeat_at < :stale)
                                    ORDER BY run_after LIMIT 1
                                    FOR UPDATE SKIP LOCKED)
                        RETURNING id, workspace_id, attempts, max_attempts, claimed_by
                        """)
                .param("me", runner)
                .param("now", at(now))
                .param("stale", at(now.minus(settings.staleAfter())))
                .query((rs, n) -> new Job(
                        rs.getLong("id"),
                        rs.getObject("workspace_id", UUID.class),
                        rs.getInt("attempts"),
                        rs.getInt("max_attempts"),
                        rs.getString("claimed_by")))
                .optional();
    }

    /** Returns false when the claim was lost (another runner took the job over, or it was finished). */
    boolean heartbeat(Job job) {
        return jdbc.sql(
                                "UPDATE job SET heartbeat_at = :now WHERE id = :id AND claimed_by = :me AND finished_at IS NULL")
                        .param("now", at(clock.instant()))
                        .param("id", job.id())
                        .param("me", job.claimedBy())
                        .update()
                == 1;
    }

    /** Gives the job back to wait (a health poll): not a failure. */
    boolean release(Job job, Instant runAfter) {
        return jdbc.sql("""
                        UPDATE job SET claimed_by = NULL, heartbeat_at = NULL, run_after = :at
                        WHERE id = :id AND claimed_by = :me AND finished_at IS NULL
                        """)
                        .param("at", at(runAfter))
                        .param("id", job.id())
                        .param("me", job.claimedBy())
                        .update()
                == 1;
    }

    /** Records a failed attempt and gives the job back to run again after {@code runAfter}. */
    boolean retry(Job job, Instant runAfter, String error) {
        return jdbc.sql("""
                        UPDATE job SET claimed_by = NULL, heartbeat_at = NULL, run_after = :at,
                               attempts = attempts + 1, last_error = :err
                        WHERE id = :id AND claimed_by = :me AND finished_at IS NULL
                        """)
                        .param("at", at(runAfter))
                        .param("err", error)
                        .param("id", job.id())
                        .param("me", job.claimedBy())
                        .update()
                == 1;
    }

    boolean finish(Job job, String error) {
        return jdbc.sql("""
                        UPDATE job SET finished_at = :now, last_error = COALESCE(:err, last_error)
                        WHERE id = :id AND claimed_by = :me AND finished_at IS NULL
                        """)
                        .param("now", at(clock.instant()))
                        .param("err", error)
                        .param("id", job.id())
                        .param("me", job.claimedBy())
                        .update()
                == 1;
    }

    boolean hasOpenJob(UUID workspaceId) {
        return jdbc.sql("SELECT count(*) FROM job WHERE workspace_id = :ws AND finished_at IS NULL")
                        .param("ws", workspaceId)
                        .query(Long.class)
                        .single()
                > 0;
    }
}
