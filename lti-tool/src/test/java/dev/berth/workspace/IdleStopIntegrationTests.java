package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.provisioning.EnvironmentCatalogue;
import dev.berth.provisioning.EnvironmentDefinition;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.LocalWorkspaceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * Idle stop in the running application: a terminal workspace whose environment allows a few idle seconds, and that
 * nobody uses through the gateway, is stopped by the engine on its own; the next start brings it back with its
 * files, and gives the student the full idle time again.
 */
@BerthIntegrationTest
@TestPropertySource(properties = "berth.workspaces.reconcile-interval=500ms")
class IdleStopIntegrationTests {

    private static final int IDLE_SECONDS = 4;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Autowired
    Workspaces workspaces;

    @Autowired
    EnvironmentCatalogue catalogue;

    @Value("${berth.data-dir}")
    Path dataDir;

    private UUID id;

    @AfterEach
    void stopIt() throws InterruptedException {
        if (id != null) {
            workspaces.stop(id);
            await(WorkspaceState.STOPPED);
        }
        LocalWorkspaceProcesses.killAll(dataDir.resolve("workspaces"));
    }

    @Test
    void anIdleWorkspaceStopsByItselfAndTheNextStartBringsItBackWithItsFiles() throws Exception {
        catalogue.create(new EnvironmentDefinition(
                "idle-terminal",
                "Impatient terminal",
                "",
                EnvironmentDefinition.TERMINAL,
                null,
                null,
                8080,
                "keep",
                "{base_path}healthz",
                500,
                512,
                IDLE_SECONDS,
                60,
                Map.of(),
                true));
        id = workspaces
                .ensureRunning("person:idle", "course:idle", "idle-terminal")
                .id();
        await(WorkspaceState.RUNNING);
        Path note = dataDir.resolve("workspaces")
                .resolve(id.toString())
                .resolve("home")
                .resolve("note.txt");
        Files.writeString(note, "hello\n");
        assertThat(LocalWorkspaceProcesses.topLevel(dataDir.resolve("workspaces")))
                .containsKey(id);

        await(WorkspaceState.STOPPED);

        assertThat(workspaces.events(id, 0))
                .extracting(WorkspaceEvent::message)
                .contains("Idle for longer than the timeout; stopping");
        assertThat(LocalWorkspaceProcesses.all(dataDir.resolve("workspaces")))
                .as("the stopped workspace's process is gone")
                .doesNotContainKey(id);
        assertThat(note).as("the files stay").hasContent("hello");

        assertThat(workspaces
                        .ensureRunning("person:idle", "course:idle", "idle-terminal")
                        .id())
                .isEqualTo(id);
        await(WorkspaceState.RUNNING);
        long runningAgain = System.nanoTime();
        assertThat(note).hasContent("hello");
        await(WorkspaceState.STOPPED);
        assertThat(Duration.ofNanos(System.nanoTime() - runningAgain))
                .as("started again, it gets the whole idle time before the next stop, though its last activity is old")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(IDLE_SECONDS - 1));
        List<String> states = workspaces.events(id, 0).stream()
                .filter(event -> event.kind().equals("state"))
                .map(event -> event.state().name())
                .toList();
        assertThat(states).containsSubsequence("RUNNING", "STOPPED", "RUNNING", "STOPPED");
        id = null;
    }

    private void await(WorkspaceState state) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        WorkspaceState last = null;
        while (System.nanoTime() < deadline) {
            last = workspaces.find(id).orElseThrow().state();
            if (last == state) {
                return;
            }
            assertThat(last).isNotEqualTo(WorkspaceState.FAILED);
            Thread.sleep(50);
        }
        fail("Workspace " + id + " was " + last + ", not " + state + ", after " + LIMIT);
    }
}
