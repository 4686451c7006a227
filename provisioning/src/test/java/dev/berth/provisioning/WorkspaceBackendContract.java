package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkspaceBackend} must do (the SPI's Javadoc, as tests). A backend's test class extends
 * this and supplies the backend and a spec whose environment can really start.
 */
public abstract class WorkspaceBackendContract {

    protected WorkspaceBackend backend;
    protected WorkspaceSpec spec;

    protected abstract WorkspaceBackend createBackend() throws Exception;

    protected abstract WorkspaceSpec spec(UUID workspaceId);

    /** Every file in the workspace's home (path with forward slashes, relative to the home, to content). */
    protected abstract Map<String, String> homeFiles(WorkspaceSpec spec, BackendRefs refs) throws Exception;

    /** Writes a file into the workspace's home, as the student would. */
    protected abstract void writeHomeFile(WorkspaceSpec spec, BackendRefs refs, String path, String content)
            throws Exception;

    @BeforeEach
    void setUpBackend() throws Exception {
        backend = createBackend();
        spec = spec(UUID.randomUUID());
    }

    @AfterEach
    void cleanUp() {
        backend.destroy(spec, BackendRefs.empty(), true);
    }

    protected static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private BackendRefs startHealthy() throws InterruptedException {
        BackendRefs refs = backend.start(spec, backend.ensure(spec, BackendRefs.empty()));
        BackendRefs started = refs;
        await("the workspace to become healthy", () -> backend.observe(spec, started)
                .healthy());
        return refs;
    }

    @Test
    void observeBeforeEnsureReportsNothingRunning() {
        assertThat(backend.observe(spec, BackendRefs.empty())).isEqualTo(Observation.absent());
    }

    @Test
    void ensureTwiceKeepsTheSameResources() {
        BackendRefs first = backend.ensure(spec, BackendRefs.empty());
        BackendRefs second = backend.ensure(spec, first);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void startedWorkspaceBecomesHealthyWithAnEndpoint() throws Exception {
        BackendRefs refs = startHealthy();
        Observation seen = backend.observe(spec, refs);
        assertThat(seen.running()).isTrue();
        assertThat(seen.endpoint()).isNotBlank();
    }

    @Test
    void startingTwiceDoesNotMakeATwin() throws Exception {
        BackendRefs refs = startHealthy();
        String endpoint = backend.observe(spec, refs).endpoint();
        BackendRefs again = backend.start(spec, refs);
        assertThat(again).isEqualTo(refs);
        assertThat(backend.observe(spec, again).endpoint()).isEqualTo(endpoint);
        assertThat(backend.listOwned())
                .filteredOn(owned -> owned.workspaceId().equals(spec.workspaceId()))
                .hasSize(1);
    }

    @Test
    void runningWorkspaceIsListedAsOwnedAndStoppedOneIsNot() throws Exception {
        BackendRefs refs = startHealthy();
        assertThat(backend.listOwned())
                .anyMatch(owned -> owned.workspaceId().equals(spec.workspaceId()) && owned.running());
        backend.stop(spec, refs);
        assertThat(backend.observe(spec, refs).running()).isFalse();
        assertThat(backend.listOwned())
                .noneMatch(owned -> owned.workspaceId().equals(spec.workspaceId()) && owned.running());
    }

    @Test
    void stopIsIdempotentAndSafeBeforeStart() throws Exception {
        backend.stop(spec, BackendRefs.empty());
        BackendRefs refs = startHealthy();
        backend.stop(spec, refs);
        backend.stop(spec, refs);
        assertThat(backend.observe(spec, refs).running()).isFalse();
    }

    @Test
    void stoppedWorkspaceStartsAgain() throws Exception {
        BackendRefs refs = startHealthy();
        backend.stop(spec, refs);
        startHealthy();
    }

    @Test
    void destroyIsIdempotentAndStopsEverything() throws Exception {
        BackendRefs refs = startHealthy();
        backend.destroy(spec, refs, false);
        backend.destroy(spec, refs, false);
        assertThat(backend.observe(spec, refs).running()).isFalse();
    }

    @Test
    void orphanIsReleasedFromWhatListOwnedReported() throws Exception {
        startHealthy();
        OwnedWorkspace owned = backend.listOwned().stream()
                .filter(o -> o.workspaceId().equals(spec.workspaceId()))
                .findFirst()
                .orElseThrow();
        backend.releaseOrphan(owned);
        backend.releaseOrphan(owned);
        assertThat(backend.observe(spec, BackendRefs.empty()).running()).isFalse();
    }

    private static final Map<String, String> STARTER =
            Map.of("README.md", "Start here", "src/main.py", "print('hello')");

    private WorkspaceSpec withStarter() {
        return spec.withStarter(TestZips.starter(TestZips.zip(STARTER)));
    }

    @Test
    void ensureSeedsANewHomeWithTheStarterFiles() throws Exception {
        WorkspaceSpec seeded = withStarter();
        BackendRefs refs = backend.ensure(seeded, BackendRefs.empty());
        assertThat(homeFiles(seeded, refs)).isEqualTo(STARTER);
    }

    @Test
    void ensureNeverSeedsAnExistingHomeAgain() throws Exception {
        BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
        writeHomeFile(spec, refs, "README.md", "my own notes");
        WorkspaceSpec seeded = withStarter();
        backend.ensure(seeded, refs);
        assertThat(homeFiles(seeded, refs)).isEqualTo(Map.of("README.md", "my own notes"));
    }

    @Test
    void backupMovesEverythingIntoTheNamedFolderAndKeepsEarlierBackupsInPlace() throws Exception {
        WorkspaceSpec seeded = withStarter();
        BackendRefs refs = backend.ensure(seeded, BackendRefs.empty());
        writeHomeFile(seeded, refs, "notes.txt", "first");
        assertThat(backend.backupHome(seeded, refs, "first")).isEqualTo("Backups/first");
        writeHomeFile(seeded, refs, "notes.txt", "second");
        assertThat(backend.backupHome(seeded, refs, "second")).isEqualTo("Backups/second");
        assertThat(homeFiles(seeded, refs))
                .containsOnly(
                        Map.entry("Backups/first/README.md", "Start here"),
                        Map.entry("Backups/first/src/main.py", "print('hello')"),
                        Map.entry("Backups/first/notes.txt", "first"),
                        Map.entry("Backups/second/notes.txt", "second"));
    }

    @Test
    void backupAgainMovesOnlyWhatIsLeftAndNeverOverwrites() throws Exception {
        BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
        writeHomeFile(spec, refs, "a.txt", "mine");
        backend.backupHome(spec, refs, "reset");
        backend.backupHome(spec, refs, "reset");
        assertThat(homeFiles(spec, refs)).isEqualTo(Map.of("Backups/reset/a.txt", "mine"));
        writeHomeFile(spec, refs, "a.txt", "a newer one");
        writeHomeFile(spec, refs, "b.txt", "other");
        backend.backupHome(spec, refs, "reset");
        assertThat(homeFiles(spec, refs))
                .as("a name already taken in the backup folder goes to a sibling folder, never over the file")
                .isEqualTo(Map.of(
                        "Backups/reset/a.txt", "mine",
                        "Backups/reset (2)/a.txt", "a newer one",
                        "Backups/reset/b.txt", "other"));
    }

    @Test
    void restoreUnpacksTheStarterFilesOverTheHomeAndIsIdempotent() throws Exception {
        WorkspaceSpec seeded = withStarter();
        BackendRefs refs = backend.ensure(seeded, BackendRefs.empty());
        writeHomeFile(seeded, refs, "README.md", "changed");
        backend.backupHome(seeded, refs, "b");
        backend.restoreStarterFiles(seeded, refs);
        writeHomeFile(seeded, refs, "src/main.py", "half-written by a crashed unpack");
        backend.restoreStarterFiles(seeded, refs);
        assertThat(homeFiles(seeded, refs))
                .containsOnly(
                        Map.entry("README.md", "Start here"),
                        Map.entry("src/main.py", "print('hello')"),
                        Map.entry("Backups/b/README.md", "changed"),
                        Map.entry("Backups/b/src/main.py", "print('hello')"));
    }

    @Test
    void restoreWithoutStarterFilesLeavesTheHomeAsItIs() throws Exception {
        BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
        writeHomeFile(spec, refs, "kept.txt", "kept");
        backend.restoreStarterFiles(spec, refs);
        assertThat(homeFiles(spec, refs)).isEqualTo(Map.of("kept.txt", "kept"));
    }

    @Test
    void logsAreNeverNull() throws Exception {
        assertThat(backend.logs(spec, BackendRefs.empty(), 1000)).isNotNull();
        BackendRefs refs = startHealthy();
        assertThat(backend.logs(spec, refs, 10)).isNotNull().hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void homeSizeIsNeverNegativeAndEmptyWhenThereIsNoHome() throws Exception {
        assertThat(backend.homeBytes(spec, BackendRefs.empty()))
                .as("before ensure")
                .isEmpty();
        BackendRefs refs = startHealthy();
        assertThat(backend.homeBytes(spec, refs))
                .as("a running workspace's home")
                .satisfies(size -> {
                    if (size.isPresent()) {
                        assertThat(size.getAsLong()).isNotNegative();
                    }
                });
        backend.destroy(spec, refs, true);
        assertThat(backend.homeBytes(spec, refs))
                .as("after destroy with the home")
                .isEmpty();
    }
}
