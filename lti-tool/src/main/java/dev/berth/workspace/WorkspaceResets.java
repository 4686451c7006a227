package dev.berth.workspace;

import dev.berth.audit.AuditLog;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.Workspaces;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * "Reset to starter files" on behalf of a person: the workspace's owner, or the staff of its course (the same people
 * who may enter it). Every reset is audited, with who asked and which starter archive it restores.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
public class WorkspaceResets {

    private final Workspaces workspaces;
    private final AuditLog audit;

    WorkspaceResets(Workspaces workspaces, AuditLog audit) {
        this.workspaces = workspaces;
        this.audit = audit;
    }

    /** Resets a workspace of the course to the starter archive {@code starterArchiveId} (null: an empty home). */
    public Workspace reset(LaunchUser user, long courseId, UUID workspaceId, UUID starterArchiveId) {
        allowed(user, courseId, workspaceId);
        Workspace reset = workspaces.reset(workspaceId, starterArchiveId);
        audited(user, courseId, workspaceId, starterArchiveId == null ? "none" : starterArchiveId.toString());
        return reset;
    }

    /** Resets a workspace of the course to the starter files it was seeded from (for staff pages). */
    public Workspace resetToItsStarterFiles(LaunchUser user, long courseId, UUID workspaceId) {
        allowed(user, courseId, workspaceId);
        Workspace reset = workspaces.reset(workspaceId);
        audited(user, courseId, workspaceId, "as seeded");
        return reset;
    }

    /** Whether a reset of this workspace (which the user may enter) is asked for and not finished yet. */
    public boolean pending(LaunchUser user, long courseId, UUID workspaceId) {
        allowed(user, courseId, workspaceId);
        return workspaces.resetPending(workspaceId);
    }

    private Workspace allowed(LaunchUser user, long courseId, UUID workspaceId) {
        if (user == null) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED);
        }
        Workspace workspace = workspaces
                .find(workspaceId)
                .filter(found -> found.scopeRef().equals(WorkspaceAccess.scopeRef(courseId)))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!WorkspaceAccess.mayEnter(user, workspace)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return workspace;
    }

    private void audited(LaunchUser user, long courseId, UUID workspaceId, String starter) {
        Map<String, Object> details = new HashMap<>();
        details.put("course", courseId);
        details.put("starterArchive", starter);
        audit.record("person:" + user.personId(), "workspace.reset", "workspace:" + workspaceId, details);
    }
}
