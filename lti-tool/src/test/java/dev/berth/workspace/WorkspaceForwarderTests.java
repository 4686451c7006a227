package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceRoute;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.MutableClock;
import dev.berth.workspace.gateway.RelaySettings;
import dev.berth.workspace.gateway.WorkspaceRelay;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkspaceForwarderTests {

    @Test
    void activityIsWrittenAtMostEveryFewSecondsPerWorkspaceHoweverBusyTheConnection() {
        Workspaces workspaces = mock(Workspaces.class);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        UUID typing = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        try (WorkspaceRelay relay = new WorkspaceRelay(RelaySettings.of(Set.of(), Set.of()))) {
            WorkspaceForwarder forwarder = new WorkspaceForwarder(workspaces, relay, clock);

            for (int frame = 0; frame < 1000; frame++) {
                forwarder.activity(typing);
            }
            forwarder.activity(other);
            verify(workspaces, times(1)).recordActivity(typing);
            verify(workspaces, times(1)).recordActivity(other);

            // An hour of typing: one write every five seconds, so idle stop never sees this workspace idle.
            for (int second = 1; second <= 3600; second++) {
                clock.advance(Duration.ofSeconds(1));
                forwarder.activity(typing);
            }
            verify(workspaces, times(1 + 720)).recordActivity(typing);
        }
    }

    @Test
    void runningWorkspaceRouteIsReadOncePerSecondOthersOnEveryRequest() {
        Workspaces workspaces = mock(Workspaces.class);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        UUID running = UUID.randomUUID();
        UUID stopped = UUID.randomUUID();
        when(workspaces.route(running)).thenReturn(Optional.of(route(running, WorkspaceState.RUNNING)));
        when(workspaces.route(stopped)).thenReturn(Optional.of(route(stopped, WorkspaceState.STOPPED)));
        try (WorkspaceRelay relay = new WorkspaceRelay(RelaySettings.of(Set.of(), Set.of()))) {
            WorkspaceForwarder forwarder = new WorkspaceForwarder(workspaces, relay, clock);

            for (int request = 0; request < 50; request++) {
                assertThat(forwarder.route(running)).isPresent();
                forwarder.route(stopped);
            }
            verify(workspaces, times(1)).route(running);
            verify(workspaces, times(50)).route(stopped);

            clock.advance(Duration.ofSeconds(1));
            forwarder.route(running);
            verify(workspaces, times(2)).route(running);
        }
    }

    private static WorkspaceRoute route(UUID id, WorkspaceState state) {
        Workspace workspace = new Workspace(
                id,
                "person:1",
                "course:1",
                "terminal",
                state,
                state,
                Instant.EPOCH,
                "local",
                "http://127.0.0.1:1",
                Instant.EPOCH,
                null,
                1);
        return new WorkspaceRoute(workspace, "/ws/" + id + "/", true);
    }
}
