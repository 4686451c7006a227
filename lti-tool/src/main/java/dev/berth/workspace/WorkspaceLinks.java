package dev.berth.workspace;

import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Where a viewer enters a workspace: the URL a page puts in its iframe or behind "open in a new tab". Pages never
 * build workspace URLs themselves, so how a workspace is entered (its own origin, a one-time token) is decided here.
 * Each call may hand out a fresh single-use entry, so call it once per link a page renders.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
public class WorkspaceLinks {

    /** A URL that lets {@code viewer} into {@code workspace}; the caller has checked that the viewer may enter. */
    public String entryUrl(Workspace workspace, LaunchUser viewer) {
        return WorkspaceGateway.PREFIX + workspace.id() + "/";
    }
}
