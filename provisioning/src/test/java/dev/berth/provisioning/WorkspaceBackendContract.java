package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
