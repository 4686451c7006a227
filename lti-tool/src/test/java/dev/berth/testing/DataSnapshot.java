package dev.berth.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Row counts of everything a launch may write, to show that a refused launch wrote nothing. */
public final class DataSnapshot {

    private static final List<String> TABLES = List.of(
            "course", "person", "membership", "cohort", "cohort_member", "assignment", "spring_session", "audit");

    private DataSnapshot() {}

    public static Map<String, Long> take(JdbcClient jdbc) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(
                    table,
                    jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
        }
        counts.put(
                "oidc_state used",
                jdbc.sql("SELECT count(*) FROM oidc_state WHERE used_at IS NOT NULL")
                        .query(Long.class)
                        .single());
        return counts;
    }
}
