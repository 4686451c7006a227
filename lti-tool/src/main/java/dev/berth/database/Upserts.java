package dev.berth.database;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upserts that lock only rows they change. {@code INSERT … ON CONFLICT DO UPDATE} locks the conflicting row even
 * when its {@code WHERE} leaves it unchanged, and holds the lock to the end of the transaction: every launch into a
 * course would wait for the one before it to commit. So an upsert is written as an insert that does nothing on a
 * conflict, an update whose {@code WHERE} holds only when something changed (an {@code UPDATE} locks only the rows
 * it matches), and a read of the untouched row:
 *
 * <pre>
 * WITH inserted AS (INSERT … ON CONFLICT (&lt;key&gt;) DO NOTHING RETURNING id),
 *      updated AS (UPDATE t SET … WHERE &lt;key&gt; AND (…) IS DISTINCT FROM (…) RETURNING id)
 * SELECT id FROM inserted UNION ALL SELECT id FROM updated UNION ALL SELECT id FROM t WHERE &lt;key&gt; LIMIT 1
 * </pre>
 */
public final class Upserts {

    private static final int ATTEMPTS = 3;

    private Upserts() {}

    /**
     * Runs a statement of upserts and returns the row's id. A row inserted by a concurrent transaction that
     * committed while this statement waited on it is invisible to the statement's snapshot, so the statement runs
     * again, with a fresh snapshot. A statement whose upserts depend on each other may meet such a row once per
     * level (the enrolment: person and course first, then the course's cohort, which needs the course): three runs
     * settle it.
     */
    public static long id(JdbcClient jdbc, String sql, Object... params) {
        return row(jdbc.sql(sql).params(params), (rs, n) -> rs.getLong(1));
    }

    /**
     * Runs the statement and maps the one row it returns, with the same further runs as {@link #id}. A statement
     * that chains several upserts in common table expressions returns no row when any of them met such an
     * invisible row; running it again is safe because every part of it is an upsert.
     */
    public static <T> T row(JdbcClient.StatementSpec statement, RowMapper<T> mapper) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<T> row = statement.query(mapper).optional();
            if (row.isPresent()) {
                return row.get();
            }
        }
        throw new IllegalStateException("Upsert returned no row");
    }
}
