package dev.berth.workspace;

import dev.berth.course.CourseRole;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import java.util.Optional;

/**
 * Who may enter a workspace: its owner, and the staff of its course. Workspaces name their owner and scope with the
 * opaque references this class writes ({@code person:<id>}, {@code course:<id>}).
 */
final class WorkspaceAccess {

    static final String TERMINAL = "terminal";

    private WorkspaceAccess() {}

    static String ownerRef(long personId) {
        return "person:" + personId;
    }

    static String scopeRef(long courseId) {
        return "course:" + courseId;
    }

    static boolean mayEnter(LaunchUser user, Workspace workspace) {
        if (workspace.ownerRef().equals(ownerRef(user.personId()))) {
            return true;
        }
        return courseId(workspace)
                .map(courseId -> user.roleIn(courseId) == CourseRole.STAFF)
                .orElse(false);
    }

    private static Optional<Long> courseId(Workspace workspace) {
        String scope = workspace.scopeRef();
        if (!scope.startsWith("course:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(scope.substring("course:".length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
