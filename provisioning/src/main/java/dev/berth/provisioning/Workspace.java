package dev.berth.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A workspace as the database holds it: what was asked ({@code desiredState}) and what is ({@code state}). */
public record Workspace(
        UUID id,
        String ownerRef,
        String scopeRef,
        String environmentKey,
        WorkspaceState desiredState,
        WorkspaceState state,
        Instant stateChangedAt,
        String backend,
        String endpoint,
        Instant lastActivityAt,
        String failure,
        int version) {

    /** Nothing left to do: the state is the desired one, or the last attempt failed and awaits a new request. */
    public boolean settled() {
        return state == desiredState || state == WorkspaceState.FAILED;
    }
}
