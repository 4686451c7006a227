package dev.berth.provisioning;

import static dev.berth.provisioning.WorkspaceState.DELETED;
import static dev.berth.provisioning.WorkspaceState.DELETING;
import static dev.berth.provisioning.WorkspaceState.FAILED;
import static dev.berth.provisioning.WorkspaceState.PROVISIONING;
import static dev.berth.provisioning.WorkspaceState.RUNNING;
import static dev.berth.provisioning.WorkspaceState.STARTING;
import static dev.berth.provisioning.WorkspaceState.STOPPED;
import static dev.berth.provisioning.WorkspaceState.STOPPING;

import dev.berth.provisioning.JdbcWorkspaceStore.Change;
import dev.berth.provisioning.JdbcWorkspaceStore.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims jobs and moves each workspace toward its desired state, one idempotent backend step at a time,
 * recording every step and state change as a workspace event. Any number of runners (in one JVM or in
 * several replicas) may share one database: a job is held by one claimant at a time, and a runner that lost
 * its claim cannot write a state (see {@link JdbcWorkspaceStore#move}).
 */
final class WorkspaceRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkspaceRunner.class);
    private static final String STARTED_AT = "engine.startedAt";
    private static final int STEPS_PER_CLAIM = 20;
    private static final DateTimeFormatter BACKUP_FOLDER =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH-mm-ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private enum Step {
        CONTINUE,
        WAIT,
        DONE,
        LOST
    }

    private final String name;
    private final JdbcWorkspaceStore store;
    private final JdbcJobQueue queue;
    private final WorkspaceBackend backend;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final EngineSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Semaphore slots;

    WorkspaceRunner(
            String name,
            JdbcWorkspaceStore store,
            JdbcJobQueue queue,
            WorkspaceBackend backend,
            TransactionTemplate tx,
            Clock clock,
            EngineSettings settings) {
        this.name = name;
        this.store = store;
        this.queue = queue;
        this.backend = backend;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
        this.scheduler = Executors.newScheduledThreadPool(
                1, Thread.ofPlatform().name("berth-runner-" + name).daemon().factory());
        this.workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("berth-step-" + name + "-", 0).factory());
        this.slots = new Semaphore(settings.maxConcurrentJobs());
    }

    String name() {
        return name;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Claims as many due jobs as this runner has free slots for. */
    void poll() {
        try {
            while (slots.tryAcquire()) {
                Optional<Job> job = queue.claim(name);
                if (job.isEmpty()) {
                    slots.release();
                    return;
                }
                workers.execute(() -> run(job.get()));
            }
        } catch (RuntimeException e) {
            log.warn("Runner {} could not poll for jobs: {}", name, e.toString());
        }
    }

    private void run(Job job) {
        AtomicBoolean lost = new AtomicBoolean();
        ScheduledFuture<?> heartbeat = null;
        try {
            long every = settings.heartbeatInterval().toMillis();
            heartbeat = scheduler.scheduleAtFixedRate(
                    () -> {
                        try {
                            if (!queue.heartbeat(job)) {
                                lost.set(true);
                            }
                        } catch (RuntimeException e) {
                            log.warn("Heartbeat of job {} failed: {}", job.id(), e.toString());
                        }
                    },
                    every,
                    every,
                    TimeUnit.MILLISECONDS);
            converge(job, lost);
        } catch (RejectedExecutionException e) {
            log.info("Runner {} is shutting down; job {} will be taken over", name, job.id());
        } catch (RuntimeException e) {
            onFailure(job, e, lost);
        } finally {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            slots.release();
        }
    }

    private void converge(Job job, AtomicBoolean lost) {
        if (job.attempts() >= job.maxAttempts()) {
            store.find(job.workspaceId())
                    .ifPresent(row -> fail(
                            job,
                            row,
                            "Gave up after " + job.attempts() + " attempts (the runner working on it stopped)."));
            return;
        }
        for (int i = 0; i < STEPS_PER_CLAIM; i++) {
            if (lost.get() || Thread.currentThread().isInterrupted()) {
                return;
            }
            Optional<Row> found = store.find(job.workspaceId());
            if (found.isEmpty()) {
                queue.finish(job, "The workspace no longer exists");
                return;
            }
            Row row = found.get();
            switch (step(job, row)) {
                case CONTINUE -> {}
                case WAIT -> {
                    queue.release(job, clock.instant().plus(settings.healthPollInterval()));
                    return;
                }
                case DONE -> {
                    if (finishIfUnchanged(job, row)) {
                        return;
                    }
                }
                case LOST -> {
                    return;
                }
            }
        }
        queue.release(job, clock.instant());
    }

    /** Finishes the job unless a request changed the workspace since it was read (then keep going). */
    private boolean finishIfUnchanged(Job job, Row seen) {
        Boolean finished = tx.execute(status -> {
            Optional<Row> now = store.lock(seen.id());
            if (now.isPresent()
                    && now.get().workspace().version() != seen.workspace().version()) {
                return false;
            }
            queue.finish(job, null);
            return true;
        });
        return Boolean.TRUE.equals(finished);
    }

    private Step step(Job job, Row row) {
        WorkspaceState state = row.state();
        return switch (row.desired()) {
            case RUNNING ->
                switch (state) {
                    case PROVISIONING -> {
                        store.event(row.id(), "step", state, "Preparing the home folder");
                        BackendRefs refs = backend.ensure(row.spec(), row.refs());
                        if (row.reset().pending()) {
                            resetHome(row, refs);
                        }
                        yield move(
                                job,
                                row,
                                STARTING,
                                Change.of("Home folder ready; starting").refs(refs));
                    }
                    case STARTING -> starting(job, row);
                    case RUNNING -> {
                        if (row.restartPending()) {
                            yield move(job, row, STOPPING, Change.of("Restarting: stopping first"));
                        }
                        if (row.reset().pending()) {
                            yield move(job, row, STOPPING, Change.of("Resetting: stopping first"));
                        }
                        if (backend.observe(row.spec(), row.refs()).running()) {
                            yield Step.DONE;
                        }
                        yield move(
                                job,
                                row,
                                STOPPING,
                                Change.of("The environment is no longer running; starting it again"));
                    }
                    case STOPPING -> stopping(job, row);
                    case STOPPED, FAILED, DELETED -> move(job, row, PROVISIONING, Change.of("Start requested"));
                    case DELETING -> deleting(job, row);
                };
            case STOPPED ->
                switch (state) {
                    case PROVISIONING -> move(job, row, STARTING, Change.of("Stop requested before the start"));
                    case STARTING, RUNNING, FAILED -> move(job, row, STOPPING, Change.of("Stopping"));
                    case STOPPING -> stopping(job, row);
                    case DELETING -> deleting(job, row);
                    case STOPPED, DELETED -> Step.DONE;
                };
            case DELETED ->
                switch (state) {
                    case DELETED -> Step.DONE;
                    case DELETING -> deleting(job, row);
                    default -> move(job, row, DELETING, Change.of("Deleting"));
                };
            default -> throw new IllegalStateException("Unexpected desired state " + row.desired());
        };
    }

    private Step starting(Job job, Row row) {
        Observation seen = backend.observe(row.spec(), row.refs());
        if (seen.running() && seen.healthy()) {
            return move(job, row, RUNNING, Change.of("Ready").endpoint(seen.endpoint()));
        }
        if (!seen.running()) {
            if (row.refs().get(STARTED_AT) != null) {
                store.saveRefs(row, row.refs().without(STARTED_AT));
                throw new WorkspaceBackendException(
                        "The environment exited while starting. Its last output: "
                                + tail(backend.logs(row.spec(), row.refs(), 600)),
                        false);
            }
            store.event(row.id(), "step", STARTING, "Starting the environment");
            BackendRefs refs = backend.start(row.spec(), row.refs())
                    .with(STARTED_AT, clock.instant().toString());
            store.saveRefs(row, refs);
            return Step.WAIT;
        }
        Duration waited = Duration.between(row.workspace().stateChangedAt(), clock.instant());
        if (waited.compareTo(row.spec().startTimeout()) > 0) {
            return fail(
                    job,
                    row,
                    "The environment never answered its health check ("
                            + row.spec().healthPath() + ") within "
                            + row.spec().startTimeout().toSeconds() + " s. Its last output: "
                            + tail(backend.logs(row.spec(), row.refs(), 600)));
        }
        long seconds = waited.toSeconds();
        if (seconds >= 5 && seconds % 5 == 0) {
            store.event(row.id(), "waiting", STARTING, "Still waiting for the environment (" + seconds + " s)");
        }
        return Step.WAIT;
    }

    /**
     * Backs the home up and unpacks the starter files. The backup folder is stored before the first file
     * moves and "backed up" after the last, so a retry after a crash finishes the same backup (or makes an
     * extra, empty one) and never unpacks over files that were not saved.
     */
    private void resetHome(Row row, BackendRefs refs) {
        backend.stop(row.spec(), refs);
        JdbcWorkspaceStore.Reset reset = row.reset();
        if (!reset.backedUp()) {
            String folder = reset.backup() != null
                    ? reset.backup()
                    : store.chooseResetBackup(row.id(), BACKUP_FOLDER.format(clock.instant()));
            store.event(row.id(), "step", PROVISIONING, "Backing up your files");
            String where = backend.backupHome(row.spec(), refs, folder);
            store.resetBackedUp(row.id(), "Backed up your files to " + where + "/");
        }
        backend.restoreStarterFiles(row.spec(), refs);
        store.resetDone(
                row.id(),
                row.spec().starter() == null
                        ? "No starter files to restore: the home folder holds only the backups"
                        : "Restored the starter files");
    }

    private Step stopping(Job job, Row row) {
        store.event(row.id(), "step", STOPPING, "Stopping the environment");
        backend.stop(row.spec(), row.refs());
        return move(
                job,
                row,
                STOPPED,
                Change.of("Stopped; files kept")
                        .refs(row.refs().without(STARTED_AT))
                        .clearingRestart());
    }

    private Step deleting(Job job, Row row) {
        store.event(row.id(), "step", DELETING, row.wipeHome() ? "Removing everything, home included" : "Removing");
        backend.destroy(row.spec(), row.refs(), row.wipeHome());
        return move(
                job,
                row,
                DELETED,
                Change.of(row.wipeHome() ? "Deleted with its home folder" : "Deleted; home folder kept")
                        .refs(row.refs().without(STARTED_AT))
                        .clearingRestart());
    }

    private Step move(Job job, Row row, WorkspaceState to, Change change) {
        Boolean moved = tx.execute(status -> store.move(row, to, job, change));
        return Boolean.TRUE.equals(moved) ? Step.CONTINUE : Step.LOST;
    }

    private Step fail(Job job, Row row, String reason) {
        tx.executeWithoutResult(status -> {
            store.event(row.id(), "error", row.state(), reason);
            if (row.state().canMoveTo(FAILED)) {
                store.move(row, FAILED, job, Change.of("Failed: " + reason).failure(reason));
            }
            queue.finish(job, reason);
        });
        return Step.LOST;
    }

    private void onFailure(Job job, RuntimeException e, AtomicBoolean lost) {
        if (lost.get()) {
            return;
        }
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        try {
            Optional<Row> row = store.find(job.workspaceId());
            if (row.isEmpty()) {
                queue.finish(job, reason);
                return;
            }
            int failed = job.attempts() + 1;
            boolean permanent = e instanceof WorkspaceBackendException b && b.permanent();
            if (permanent || failed >= job.maxAttempts()) {
                fail(job, row.get(), permanent ? reason : "Gave up after " + failed + " attempts: " + reason);
                return;
            }
            Duration delay = settings.backoff(failed);
            store.event(
                    job.workspaceId(),
                    "error",
                    row.get().state(),
                    "A step failed (attempt " + failed + " of " + job.maxAttempts() + "): " + reason + "; retrying in "
                            + delay.toMillis() + " ms");
            queue.retry(job, clock.instant().plus(delay), reason);
        } catch (RuntimeException again) {
            log.warn("Could not record the failure of job {}: {}", job.id(), again.toString());
        }
    }

    private static String tail(String logs) {
        String trimmed = logs == null ? "" : logs.strip();
        return trimmed.isEmpty() ? "(none)" : trimmed;
    }

    Instant now() {
        return clock.instant();
    }

    /** Stops claiming and abandons running steps; their jobs are taken over once their heartbeat is stale. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        // Interrupted steps end at their next bounded wait; an abandoned one is taken over once its heartbeat is
        // stale. Waiting briefly here keeps a closing runner from writing after its caller moved on.
        Shutdown.awaitQuietly(scheduler, workers);
    }
}
