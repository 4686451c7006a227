package dev.berth.assignment;

import dev.berth.database.Upserts;
import dev.berth.lti.LtiLaunch;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Assignments: one per resource link of a course, updated by each launch through that link. */
@Component
public class Assignments {

    private final JdbcClient jdbc;
    private final Clock clock;

    Assignments(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Assignment(long id, long courseId, String resourceLinkId, String title, String description) {}

    public long recordLaunch(long courseId, LtiLaunch launch) {
        LtiLaunch.ResourceLink link = launch.resourceLink();
        LtiLaunch.Ags ags = launch.ags();
        return Upserts.id(
                jdbc,
                """
                WITH written AS (
                    INSERT INTO assignment (course_id, resource_link_id, title, description, lineitems_url,
                                            lineitem_url, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (course_id, resource_link_id) DO UPDATE SET
                        title = coalesce(excluded.title, assignment.title),
                        description = coalesce(excluded.description, assignment.description),
                        lineitems_url = coalesce(excluded.lineitems_url, assignment.lineitems_url),
                        lineitem_url = coalesce(excluded.lineitem_url, assignment.lineitem_url),
                        updated_at = excluded.updated_at
                    WHERE (assignment.title, assignment.description, assignment.lineitems_url, assignment.lineitem_url)
                          IS DISTINCT FROM
                          (coalesce(excluded.title, assignment.title),
                           coalesce(excluded.description, assignment.description),
                           coalesce(excluded.lineitems_url, assignment.lineitems_url),
                           coalesce(excluded.lineitem_url, assignment.lineitem_url))
                    RETURNING id)
                SELECT id FROM written UNION ALL
                SELECT id FROM assignment WHERE course_id = ? AND resource_link_id = ? LIMIT 1""",
                courseId,
                link.id(),
                link.title(),
                link.description(),
                ags == null ? null : ags.lineItemsUrl(),
                ags == null ? null : ags.lineItemUrl(),
                Timestamp.from(clock.instant()),
                courseId,
                link.id());
    }

    public Optional<Assignment> find(long courseId, long assignmentId) {
        return jdbc.sql("SELECT id, course_id, resource_link_id, title, description FROM assignment"
                        + " WHERE course_id = ? AND id = ?")
                .params(courseId, assignmentId)
                .query(Assignment.class)
                .optional();
    }
}
