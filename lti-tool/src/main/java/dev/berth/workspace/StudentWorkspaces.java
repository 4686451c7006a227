package dev.berth.workspace;

import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * A person's workspace in a course for one environment (the one the assignment opens), as the course pages show
 * it. One workspace per (person, course, environment): assignments of a course that open the same environment
 * share a home folder.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
public class StudentWorkspaces {

    private final Workspaces workspaces;
    private final StarterArchiveLookup starters;

    StudentWorkspaces(Workspaces workspaces, StarterArchiveLookup starters) {
        this.workspaces = workspaces;
        this.starters = starters;
    }

    public Optional<Workspace> find(long personId, long courseId, String environmentKey) {
        return workspaces.find(WorkspaceAccess.ownerRef(personId), WorkspaceAccess.scopeRef(courseId), environmentKey);
    }

    /**
     * Asks for the workspace to run; idempotent, and one read when it already runs (the warm launch). A workspace
     * created by this call has its home seeded with the starter files of the assignment it was opened from.
     *
     * @throws dev.berth.provisioning.UnknownEnvironmentException when the environment is unknown or disabled
     */
    public Workspace ensureRunning(long personId, long courseId, long assignmentId, String environmentKey) {
        Workspace workspace = workspaces.ensureRunning(
                WorkspaceAccess.ownerRef(personId),
                WorkspaceAccess.scopeRef(courseId),
                environmentKey,
                () -> starters.starterArchiveId(courseId, assignmentId).orElse(null));
        if (workspace.state() == WorkspaceState.FAILED) {
            // A new attempt, recorded as a request, so the page shows its steps instead of the old failure.
            return workspaces.start(workspace.id());
        }
        return workspace;
    }

    /** Restarts the person's own workspace (stop, then start; the home is kept). Empty when they have none. */
    public Optional<Workspace> restart(long personId, long courseId, String environmentKey) {
        return find(personId, courseId, environmentKey).map(workspace -> workspaces.restart(workspace.id()));
    }

    /** What the student page shows for a workspace. */
    public View view(Workspace workspace) {
        if (workspace.state() == WorkspaceState.RUNNING && workspaces.ready(workspace.id())) {
            return View.IDE;
        }
        if (workspace.state() == WorkspaceState.FAILED && workspace.desiredState() != WorkspaceState.STOPPED) {
            return retryPending(workspace.id()) ? View.PROGRESS : View.FAILED;
        }
        if (workspace.settled() && workspace.state() != WorkspaceState.RUNNING) {
            return View.STOPPED;
        }
        return View.PROGRESS;
    }

    /** A reset to starter files of the workspace is asked for and not finished yet. */
    public boolean resetPending(UUID workspaceId) {
        return workspaces.resetPending(workspaceId);
    }

    /**
     * Where the current attempt begins in the timeline: just before its last request (created, start, restart),
     * so the progress page lists this attempt's steps, not every start the workspace ever had.
     */
    public long attemptStart(UUID workspaceId) {
        long start = 0;
        for (WorkspaceEvent event : workspaces.events(workspaceId, 0)) {
            if ("requested".equals(event.kind())) {
                start = event.id() - 1;
            }
        }
        return start;
    }

    /** A request (start, restart) came after the last error: the runner is about to try again. */
    private boolean retryPending(UUID workspaceId) {
        long lastError = 0;
        long lastRequest = 0;
        for (WorkspaceEvent event : workspaces.events(workspaceId, 0)) {
            switch (event.kind()) {
                case "error" -> lastError = event.id();
                case "requested" -> lastRequest = event.id();
                default -> {}
            }
        }
        return lastRequest > lastError;
    }

    /** A short reference for a failure that the student quotes and staff find in the log and the timeline. */
    public String failureReference(UUID workspaceId) {
        long errorEvent = 0;
        for (WorkspaceEvent event : workspaces.events(workspaceId, 0)) {
            if ("error".equals(event.kind())) {
                errorEvent = event.id();
            }
        }
        return reference(workspaceId, errorEvent);
    }

    /**
     * {@code W-} + the first eight hex digits of the workspace id + the id of its last error event: staff find the
     * workspace on the course page and the event in its timeline; the log line carries both in full.
     */
    static String reference(UUID workspaceId, long errorEventId) {
        return "W-" + workspaceId.toString().substring(0, 8) + "-" + errorEventId;
    }

    /** The page's modes: the steps as they happen, the IDE, the error panel, or a stopped workspace to start. */
    public enum View {
        PROGRESS,
        IDE,
        FAILED,
        STOPPED
    }
}
