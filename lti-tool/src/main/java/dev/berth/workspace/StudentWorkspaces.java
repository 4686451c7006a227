package dev.berth.workspace;

import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.Workspaces;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** A person's workspace in a course, as the course pages show it. For now every course uses the terminal. */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
public class StudentWorkspaces {

    private final Workspaces workspaces;

    StudentWorkspaces(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    public Optional<Workspace> find(long personId, long courseId) {
        return workspaces.find(
                WorkspaceAccess.ownerRef(personId), WorkspaceAccess.scopeRef(courseId), WorkspaceAccess.TERMINAL);
    }

    Workspace ensureRunning(long personId, long courseId) {
        return workspaces.ensureRunning(
                WorkspaceAccess.ownerRef(personId), WorkspaceAccess.scopeRef(courseId), WorkspaceAccess.TERMINAL);
    }

    /** As above; a workspace created now has its home seeded from the starter archive (null for none). */
    Workspace ensureRunning(long personId, long courseId, java.util.UUID starterArchiveId) {
        return workspaces.ensureRunning(
                WorkspaceAccess.ownerRef(personId),
                WorkspaceAccess.scopeRef(courseId),
                WorkspaceAccess.TERMINAL,
                starterArchiveId);
    }
}
