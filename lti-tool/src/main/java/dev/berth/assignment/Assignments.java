package dev.berth.assignment;

import dev.berth.audit.AuditLog;
import dev.berth.database.Upserts;
import dev.berth.lti.LtiLaunch;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Assignments: one per resource link of a course, updated by each launch through that link. */
@Component
public class Assignments {

    /** The LTI custom parameter naming the environment an assignment opens (Canvas: {@code environment=jupyter}). */
    public static final String ENVIRONMENT_PARAMETER = "environment";

    /** The environment of an assignment that names none. */
    public static final String DEFAULT_ENVIRONMENT = "terminal";

    private static final Logger log = LoggerFactory.getLogger(Assignments.class);

    private static final String SELECT = """
            SELECT a.id, a.course_id, a.resource_link_id, a.title, a.description,
                   coalesce(e.key, 'terminal') AS environment_key, coalesce(e.name, d.name) AS environment_name,
                   a.environment_source, a.environment_requested
            FROM assignment a
            LEFT JOIN environment e ON e.id = a.environment_id
            LEFT JOIN environment d ON d.key = 'terminal'
            """;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;

    Assignments(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * An assignment and the environment it opens. {@code environmentRequested} is a custom parameter value that
     * named no enabled environment (staff see it as a notice), else null.
     */
    public record Assignment(
            long id,
            long courseId,
            String resourceLinkId,
            String title,
            String description,
            String environmentKey,
            String environmentName,
            String environmentSource,
            String environmentRequested) {}

    /** An enabled environment of the catalogue, as staff choose among them. */
    public record EnvironmentChoice(String key, String name, String description) {}

    /** The assignment id and the key of the environment it opens. */
    public record Launched(long id, String environmentKey) {}

    public Launched recordLaunch(long courseId, LtiLaunch launch) {
        LtiLaunch.ResourceLink link = launch.resourceLink();
        LtiLaunch.Ags ags = launch.ags();
        Launched launched = Upserts.row(
                jdbc.sql("""
                                WITH inserted AS (
                                    INSERT INTO assignment (course_id, resource_link_id, title, description,
                                                            lineitems_url, lineitem_url, updated_at)
                                    VALUES (:course, :link, :title, :description, :lineItems, :lineItem, :now)
                                    ON CONFLICT (course_id, resource_link_id) DO NOTHING
                                    RETURNING id, environment_id),
                                updated AS (
                                    UPDATE assignment SET
                                        title = coalesce(:title, title),
                                        description = coalesce(:description, description),
                                        lineitems_url = coalesce(:lineItems, lineitems_url),
                                        lineitem_url = coalesce(:lineItem, lineitem_url),
                                        updated_at = :now
                                    WHERE course_id = :course AND resource_link_id = :link
                                      AND (title, description, lineitems_url, lineitem_url)
                                          IS DISTINCT FROM
                                          (coalesce(:title, title), coalesce(:description, description),
                                           coalesce(:lineItems, lineitems_url), coalesce(:lineItem, lineitem_url))
                                    RETURNING id, environment_id),
                                the_assignment AS (
                                    SELECT id, environment_id FROM inserted
                                    UNION ALL SELECT id, environment_id FROM updated
                                    UNION ALL SELECT id, environment_id FROM assignment
                                    WHERE course_id = :course AND resource_link_id = :link LIMIT 1)
                                SELECT a.id, coalesce(e.key, 'terminal') AS environment_key
                                FROM the_assignment a LEFT JOIN environment e ON e.id = a.environment_id""")
                        .param("course", courseId)
                        .param("link", link.id())
                        .param("title", link.title())
                        .param("description", link.description())
                        .param("lineItems", ags == null ? null : ags.lineItemsUrl())
                        .param("lineItem", ags == null ? null : ags.lineItemUrl())
                        .param("now", Timestamp.from(clock.instant())),
                (rs, n) -> new Launched(rs.getLong("id"), rs.getString("environment_key")));
        String requested = launch.custom() == null ? null : launch.custom().get(ENVIRONMENT_PARAMETER);
        if (requested != null && !requested.isBlank() && applyRequested(launched.id(), requested.strip())) {
            return new Launched(launched.id(), environmentKey(launched.id()));
        }
        return launched;
    }

    /**
     * A launch names an environment: take it unless staff chose one. Writes only when something changes, so the
     * warm launch stays one read here. An unknown or disabled key keeps the current environment.
     */
    private boolean applyRequested(long assignmentId, String requested) {
        Optional<Long> environment = enabledEnvironment(requested);
        if (environment.isPresent()) {
            return jdbc.sql("""
                            UPDATE assignment SET environment_id = ?, environment_source = 'launch',
                                   environment_requested = NULL
                            WHERE id = ? AND environment_source IS DISTINCT FROM 'staff'
                              AND (environment_id IS DISTINCT FROM ? OR environment_requested IS NOT NULL)""")
                            .params(environment.get(), assignmentId, environment.get())
                            .update()
                    > 0;
        }
        String shown = requested.length() > 200 ? requested.substring(0, 200) : requested;
        int changed = jdbc.sql("""
                        UPDATE assignment SET environment_requested = ?
                        WHERE id = ? AND environment_requested IS DISTINCT FROM ?""").params(shown, assignmentId, shown).update();
        if (changed > 0) {
            log.warn(
                    "Assignment {} asks for environment '{}' (LTI custom parameter), which is not an enabled"
                            + " environment; it keeps its current one",
                    assignmentId,
                    shown.replaceAll("[\\r\\n]", "_"));
        }
        return false;
    }

    private String environmentKey(long assignmentId) {
        return jdbc.sql("""
                        SELECT coalesce(e.key, 'terminal') FROM assignment a
                        LEFT JOIN environment e ON e.id = a.environment_id WHERE a.id = ?""").param(assignmentId).query(String.class).single();
    }

    private Optional<Long> enabledEnvironment(String key) {
        return jdbc.sql("SELECT id FROM environment WHERE key = ? AND enabled")
                .param(key)
                .query(Long.class)
                .optional();
    }

    public Optional<Assignment> find(long courseId, long assignmentId) {
        return jdbc.sql(SELECT + " WHERE a.course_id = ? AND a.id = ?")
                .params(courseId, assignmentId)
                .query(Assignment.class)
                .optional();
    }

    /** The environments staff may choose for an assignment: the enabled ones of the catalogue. */
    public List<EnvironmentChoice> environments() {
        return jdbc.sql("SELECT key, name, description FROM environment WHERE enabled ORDER BY id")
                .query(EnvironmentChoice.class)
                .list();
    }

    /**
     * Staff choose the assignment's environment; their choice outlasts the launch parameter.
     *
     * @return false when the key names no enabled environment (nothing changed)
     */
    @Transactional
    public boolean chooseEnvironment(long courseId, long assignmentId, String key, String actor) {
        Optional<Long> environment = enabledEnvironment(key);
        if (environment.isEmpty()) {
            return false;
        }
        int updated = jdbc.sql("""
                        UPDATE assignment SET environment_id = ?, environment_source = 'staff',
                               environment_requested = NULL, updated_at = ?
                        WHERE course_id = ? AND id = ?""")
                .params(environment.get(), Timestamp.from(clock.instant()), courseId, assignmentId)
                .update();
        if (updated == 0) {
            return false;
        }
        audit.record(
                actor,
                "assignment.environment",
                "assignment:" + assignmentId,
                Map.of("course", courseId, "environment", key));
        return true;
    }
}
