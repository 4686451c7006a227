package dev.berth.workspace;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The environments a course's workspaces use: what staff pages offer when they start a learner's workspace or
 * all of them. Assignments do not name an environment yet, so every course has the built-in terminal, as
 * {@link StudentWorkspaces} does; when they do, this becomes the distinct environments of the course's
 * assignments, and the pages already offer a choice among them.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
class CourseEnvironments {

    List<String> of(long courseId) {
        return List.of(WorkspaceAccess.TERMINAL);
    }

    boolean offers(long courseId, String environmentKey) {
        return of(courseId).contains(environmentKey);
    }
}
