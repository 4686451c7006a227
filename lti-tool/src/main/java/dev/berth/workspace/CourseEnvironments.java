package dev.berth.workspace;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The environments a course's workspaces use: what staff pages offer when they start a learner's workspace or all
 * of them. These are the environments its assignments open (an assignment without one opens the built-in
 * terminal), and the terminal for a course without assignments yet.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
class CourseEnvironments {

    private final JdbcClient jdbc;

    CourseEnvironments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<String> of(long courseId) {
        List<String> keys = jdbc.sql("""
                        SELECT DISTINCT coalesce(e.key, :terminal) AS key
                        FROM assignment a LEFT JOIN environment e ON e.id = a.environment_id
                        WHERE a.course_id = :course
                        ORDER BY key""")
                .param("terminal", WorkspaceAccess.TERMINAL)
                .param("course", courseId)
                .query(String.class)
                .list();
        return keys.isEmpty() ? List.of(WorkspaceAccess.TERMINAL) : keys;
    }

    boolean offers(long courseId, String environmentKey) {
        return of(courseId).contains(environmentKey);
    }
}
