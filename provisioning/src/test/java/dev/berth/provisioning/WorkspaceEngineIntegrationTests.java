package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.provisioning.local.LocalWorkspaceBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The lifecycle engine on a real PostgreSQL, with the fake backend's failure modes or the local backend. */
class WorkspaceEngineIntegrationTests {

    private static final EngineSettings FAST = new EngineSettings(
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            // Long enough that a loaded 2-core machine never misses it: a takeover of a live runner would
            // run its step twice (see the report: the claim guard protects state writes, not side effects).
            Duration.ofSeconds(15),
            Duration.ofMillis(20),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            5,
            16,
            Duration.ofHours(1));

    private final DataSource dataSource = TestDatabase.dataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path data;

    private WorkspaceBackend backend;
    private JdbcWorkspaceStore store;
    private JdbcJobQueue queue;
    private Workspaces workspaces;

    @BeforeEach
    void resetDatabase() {
        TestDatabase.reset();
    }

    @AfterEach
    void closeRunners() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (backend instanceof LocalWorkspaceBackend) {
            for (OwnedWorkspace owned : backend.listOwned()) {
                backend.releaseOrphan(owned);
            }
        }
    }

    private void engine(WorkspaceBackend chosen) {
        backend = chosen;
        store = new JdbcWorkspaceStore(jdbc, clock);
        queue = new JdbcJobQueue(jdbc, clock, FAST);
        workspaces = new Workspaces(store, queue, backend, tx);
    }

    private WorkspaceRunner runner(String name) {
        WorkspaceRunner runner = new WorkspaceRunner(name, store, queue, backend, tx, clock, FAST);
        toClose.add(runner);
        runner.start();
        return runner;
    }

    private WorkspaceReconciler reconciler() {
        return new WorkspaceReconciler(store, queue, backend, tx, FAST);
    }

    private WorkspaceState state(UUID id) {
        return workspaces.find(id).orElseThrow().state();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private List<String> messages(UUID id) {
        return workspaces.events(id, 0).stream().map(WorkspaceEvent::message).toList();
    }

    @Test
    void twentySimultaneousEnsureRunningForOneOwnerMakeOneWorkspaceAndOneJob() throws Exception {
        engine(FakeBackend.healthy());
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<UUID>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> {
                go.await();
                return workspaces.ensureRunning("alice", "course-1", "http").id();
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<UUID>> ids = new ArrayList<>();
        for (Callable<UUID> call : calls) {
            ids.add(pool.submit(call));
        }
        go.countDown();
        Set<UUID> distinct = ids.stream()
                .map(future -> {
                    try {
                        return future.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(Collectors.toSet());
        pool.shutdown();
        assertThat(distinct).as("ids returned to the 20 callers").hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM workspace").query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM job").query(Long.class).single())
                .as("jobs queued")
                .isEqualTo(1);
    }

    @Test
    void fiftyOwnersAtOnceAllReachRunningWithTheFakeBackend() throws Exception {
        engine(FakeBackend.slow(Duration.ofMillis(50)));
        runner("a");
        runner("b");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<UUID>> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String owner = "student-" + i;
            ids.add(pool.submit(
                    () -> workspaces.ensureRunning(owner, "course-1", "http").id()));
        }
        List<UUID> created = new ArrayList<>();
        for (Future<UUID> id : ids) {
            created.add(id.get());
        }
        pool.shutdown();
        await("50 workspaces RUNNING", () -> created.stream().allMatch(id -> state(id) == WorkspaceState.RUNNING));
        assertThat(((FakeBackend) backend).maxOverlap.get())
                .as("steps that ever ran at once for one workspace")
                .isEqualTo(1);
        assertThat(((FakeBackend) backend).count("start")).isEqualTo(50);
    }

    @Test
    void fiftyOwnersAtOnceAllReachRunningWithRealProcesses() throws Exception {
        engine(new LocalWorkspaceBackend(data.resolve("workspaces"), clock));
        runner("a");
        runner("b");
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            created.add(
                    workspaces.ensureRunning("student-" + i, "course-1", "http").id());
        }
        await("50 python http servers RUNNING", () -> created.stream()
                .allMatch(id -> state(id) == WorkspaceState.RUNNING));
        assertThat(backend.listOwned()).filteredOn(OwnedWorkspace::running).hasSize(50);
        for (UUID id : created) {
            workspaces.stop(id);
        }
        await("all stopped", () -> created.stream().allMatch(id -> state(id) == WorkspaceState.STOPPED));
        assertThat(backend.listOwned()).noneMatch(OwnedWorkspace::running);
    }

    @Test
    void runnerCrashingMidStepIsTakenOverAndTheWorkspaceReachesRunning() throws Exception {
        FakeBackend fake = FakeBackend.healthy();
        engine(fake);
        CountDownLatch gate = fake.blockingStarts();
        WorkspaceRunner first = runner("first");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("the first runner to be inside start", () -> fake.count("start") == 1);
        first.close();
        fake.startGate = null;
        gate.countDown();
        clock.advance(Duration.ofSeconds(20));
        runner("second");
        await("RUNNING after the takeover", () -> state(id) == WorkspaceState.RUNNING);
        assertThat(jdbc.sql("SELECT claimed_by FROM job WHERE workspace_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("second");
        assertThat(fake.maxOverlap.get()).isEqualTo(1);
    }

    @Test
    void twoRunnersNeverRunTheSameStepAtOnce() throws Exception {
        FakeBackend fake = FakeBackend.slow(Duration.ofMillis(100));
        engine(fake);
        runner("a");
        runner("b");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        for (int i = 0; i < 5; i++) {
            await("running", () -> state(id) == WorkspaceState.RUNNING);
            workspaces.restart(id);
            workspaces.restart(id);
            await(
                    "restarted",
                    () -> state(id) == WorkspaceState.RUNNING
                            && !workspaces.events(id, 0).getLast().message().startsWith("Restart"));
        }
        assertThat(fake.maxOverlap.get()).as("steps at once for one workspace").isEqualTo(1);
    }

    @Test
    void idleWorkspaceIsStoppedWhenTheClockPassesItsTimeoutAndStartsAgainOnTheNextLaunch() throws Exception {
        engine(FakeBackend.healthy());
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("running", () -> state(id) == WorkspaceState.RUNNING);
        assertThat(reconciler().reconcile().idleStopped()).isZero();
        clock.advance(Duration.ofSeconds(601));
        assertThat(reconciler().reconcile().idleStopped()).isEqualTo(1);
        await("stopped", () -> state(id) == WorkspaceState.STOPPED);
        assertThat(messages(id)).contains("Idle for longer than the timeout; stopping");
        assertThat(((FakeBackend) backend).homes).contains(id);
        workspaces.ensureRunning("alice", "course-1", "http");
        await("running again", () -> state(id) == WorkspaceState.RUNNING);
        assertThat(reconciler().reconcile().idleStopped())
                .as("started again after an idle stop: idle counts from RUNNING, not from the old activity")
                .isZero();
    }

    @Test
    void recentActivityKeepsAWorkspaceRunning() throws Exception {
        engine(FakeBackend.healthy());
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("running", () -> state(id) == WorkspaceState.RUNNING);
        clock.advance(Duration.ofSeconds(590));
        workspaces.recordActivity(id);
        clock.advance(Duration.ofSeconds(20));
        assertThat(reconciler().reconcile().idleStopped()).isZero();
    }

    @Test
    void stepFailingTwiceThenSucceedingReachesRunning() throws Exception {
        engine(FakeBackend.healthy().failing("start", 2));
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("running", () -> state(id) == WorkspaceState.RUNNING);
        assertThat(messages(id))
                .filteredOn(m -> m.startsWith("A step failed"))
                .hasSize(2)
                .first()
                .asString()
                .contains("attempt 1 of 5");
    }

    @Test
    void stepFailingEveryTimeEndsFailedAfterMaxAttempts() throws Exception {
        engine(FakeBackend.healthy().failing("ensure", 100));
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("failed", () -> state(id) == WorkspaceState.FAILED);
        assertThat(workspaces.find(id).orElseThrow().failure())
                .isEqualTo("Gave up after 5 attempts: fake ensure failure");
    }

    @Test
    void neverHealthyBackendEndsFailedWithTheReasonInTheEvents() throws Exception {
        engine(FakeBackend.neverHealthy());
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "impatient").id();
        await("failed", () -> state(id) == WorkspaceState.FAILED);
        assertThat(messages(id))
                .anyMatch(m -> m.startsWith("The environment never answered its health check (/) within 1 s"));
        assertThat(workspaces.find(id).orElseThrow().failure()).contains("never answered its health check");
    }

    @Test
    void missingCommandFailsAtOnceWithAMessageNamingIt() throws Exception {
        engine(new LocalWorkspaceBackend(data.resolve("workspaces"), clock));
        jdbc.sql("UPDATE environment SET local_command = '[\"no-such-ide-berth\"]' WHERE key = 'impatient'")
                .update();
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "impatient").id();
        await("failed", () -> state(id) == WorkspaceState.FAILED);
        assertThat(workspaces.find(id).orElseThrow().failure()).contains("'no-such-ide-berth' is not installed");
        jdbc.sql("UPDATE environment SET local_command = '[\"true\"]' WHERE key = 'impatient'")
                .update();
    }

    @Test
    void reconcilerReleasesOrphansAndRepairsRowsWhoseProcessIsGone() throws Exception {
        FakeBackend fake = FakeBackend.healthy();
        engine(fake);
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("running with its job finished", () -> state(id) == WorkspaceState.RUNNING && !queue.hasOpenJob(id));
        UUID orphan = UUID.randomUUID();
        fake.running.add(orphan);
        fake.running.remove(id);
        WorkspaceReconciler.Report report = reconciler().reconcile();
        assertThat(report.orphansReleased()).isEqualTo(1);
        assertThat(report.rowsRequeued()).isEqualTo(1);
        assertThat(fake.running).doesNotContain(orphan);
        await("running again", () -> fake.running.contains(id) && state(id) == WorkspaceState.RUNNING);
        assertThat(messages(id)).contains("The environment is no longer running; starting it again");
    }

    @Test
    void deleteKeepsTheHomeUnlessAResetAsksToWipeIt() throws Exception {
        FakeBackend fake = FakeBackend.healthy();
        engine(fake);
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("running", () -> state(id) == WorkspaceState.RUNNING);
        workspaces.delete(id, false);
        await("deleted", () -> state(id) == WorkspaceState.DELETED);
        assertThat(fake.homes).contains(id);
        workspaces.ensureRunning("alice", "course-1", "http");
        await("running", () -> state(id) == WorkspaceState.RUNNING);
        workspaces.delete(id, true);
        await("deleted", () -> state(id) == WorkspaceState.DELETED);
        assertThat(fake.homes).doesNotContain(id);
    }

    @Test
    void eventsTellTheStoryOfAStartInOrder() throws Exception {
        engine(FakeBackend.healthy());
        runner("a");
        UUID id = workspaces.ensureRunning("alice", "course-1", "http").id();
        await("running", () -> state(id) == WorkspaceState.RUNNING);
        assertThat(messages(id))
                .containsSubsequence(
                        "Workspace created",
                        "Preparing the home folder",
                        "Home folder ready; starting",
                        "Starting the environment",
                        "Ready");
        long last = workspaces.events(id, 0).getLast().id();
        assertThat(workspaces.events(id, last)).isEmpty();
        assertThat(workspaces.find(id).orElseThrow().endpoint()).isEqualTo("http://fake/" + id);
    }
}
