package dev.berth.provisioning;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a workspace (docs/architecture.md). Transitions are explicit: the engine asks
 * {@link #canMoveTo} before it records a change, so no code path invents a new one.
 */
public enum WorkspaceState {
    PROVISIONING,
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED,
    FAILED,
    DELETING,
    DELETED;

    private Set<WorkspaceState> next() {
        return switch (this) {
            case PROVISIONING -> EnumSet.of(STARTING, FAILED, DELETING);
            case STARTING -> EnumSet.of(RUNNING, FAILED, STOPPING, DELETING);
            case RUNNING -> EnumSet.of(STOPPING, FAILED, DELETING);
            case STOPPING -> EnumSet.of(STOPPED, FAILED, DELETING);
            case STOPPED -> EnumSet.of(STARTING, PROVISIONING, DELETING);
            case FAILED -> EnumSet.of(PROVISIONING, STARTING, STOPPING, DELETING);
            case DELETING -> EnumSet.of(DELETED, FAILED);
            case DELETED -> EnumSet.of(PROVISIONING);
        };
    }

    public boolean canMoveTo(WorkspaceState target) {
        return next().contains(target);
    }

    /** States in which the workspace holds running resources a backend must eventually release. */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
