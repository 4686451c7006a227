package dev.berth.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Who did what to which registration, key, course or workspace, and when. */
@Component
public class AuditLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, Map<String, ?> details) {
        jdbc.sql("INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?::jsonb)")
                .params(Timestamp.from(clock.instant()), actor, action, target, JSON.writeValueAsString(details))
                .update();
    }

    public List<Entry> recent(int limit) {
        return jdbc.sql(
                        "SELECT at, actor, action, target, details::text AS details FROM audit ORDER BY id DESC LIMIT ?")
                .param(limit)
                .query((rs, n) -> new Entry(
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"),
                        rs.getString("action"),
                        rs.getString("target"),
                        rs.getString("details")))
                .list();
    }

    public record Entry(Instant at, String actor, String action, String target, String details) {}
}
