package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkspaceStateTests {

    @Test
    void aWorkspaceRunsOnlyAfterStarting() {
        assertThat(WorkspaceState.PROVISIONING.canMoveTo(WorkspaceState.RUNNING))
                .isFalse();
        assertThat(WorkspaceState.STARTING.canMoveTo(WorkspaceState.RUNNING)).isTrue();
    }

    @Test
    void aStoppedWorkspaceStartsAgainOnLaunch() {
        assertThat(WorkspaceState.RUNNING.canMoveTo(WorkspaceState.STOPPING)).isTrue();
        assertThat(WorkspaceState.STOPPING.canMoveTo(WorkspaceState.STOPPED)).isTrue();
        assertThat(WorkspaceState.STOPPED.canMoveTo(WorkspaceState.STARTING)).isTrue();
    }

    @Test
    void aFailedWorkspaceCanBeRetried() {
        assertThat(WorkspaceState.FAILED.canMoveTo(WorkspaceState.PROVISIONING)).isTrue();
        assertThat(WorkspaceState.FAILED.canMoveTo(WorkspaceState.STARTING)).isTrue();
    }

    @Test
    void everyStateButDeletedCanBeDeleted() {
        for (WorkspaceState state : WorkspaceState.values()) {
            assertThat(state.canMoveTo(WorkspaceState.DELETING))
                    .as(state.name())
                    .isEqualTo(state != WorkspaceState.DELETED && state != WorkspaceState.DELETING);
        }
    }

    @Test
    void aDeletedWorkspaceIsOnlyEverProvisionedAnew() {
        for (WorkspaceState state : WorkspaceState.values()) {
            assertThat(WorkspaceState.DELETED.canMoveTo(state)).isEqualTo(state == WorkspaceState.PROVISIONING);
        }
    }
}
