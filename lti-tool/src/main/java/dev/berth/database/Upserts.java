package dev.berth.database;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upserts that leave unchanged rows alone. Rewriting a row that did not change costs WAL, dead tuples and,
 * worse, a row lock that makes every concurrent launch into the same course wait. The statement is an
 * {@code INSERT … ON CONFLICT DO UPDATE … WHERE <something changed> RETURNING id} wrapped so that it also
 * returns the id of an untouched row:
 *
 * <pre>
 * WITH written AS (INSERT … RETURNING id)
 * SELECT id FROM written UNION ALL SELECT id FROM t WHERE &lt;key&gt; LIMIT 1
 * </pre>
 */
public final class Upserts {

    private Upserts() {}

    /**
     * Runs the statement and returns the row's id. A row inserted by a concurrent transaction that committed
     * while this statement waited on it is invisible to the statement's snapshot, so the statement runs once
     * more (with a fresh snapshot) before giving up.
     */
    public static long id(JdbcClient jdbc, String sql, Object... params) {
        return row(jdbc, sql, (rs, n) -> rs.getLong(1), params);
    }

    /**
     * Runs the statement and maps the one row it returns, with the same second run as {@link #id}. A statement
     * that chains several upserts in common table expressions returns no row when any of them met such an
     * invisible row; running it again is safe because every part of it is an upsert.
     */
    public static <T> T row(JdbcClient jdbc, String sql, RowMapper<T> mapper, Object... params) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<T> row = jdbc.sql(sql).params(params).query(mapper).optional();
            if (row.isPresent()) {
                return row.get();
            }
        }
        throw new IllegalStateException("Upsert returned no row: " + sql);
    }
}
