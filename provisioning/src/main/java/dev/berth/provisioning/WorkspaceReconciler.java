package dev.berth.provisioning;

import dev.berth.provisioning.JdbcWorkspaceStore.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compares what the backend says it runs with the rows, at start and then periodically, and repairs both
 * ways: running resources no row wants are released; rows that claim something the backend no longer has
 * get a job, whose runner observes the loss and restarts or settles the workspace. It also asks idle
 * workspaces to stop. Every action is idempotent, so replicas may reconcile at the same time.
 */
final class WorkspaceReconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkspaceReconciler.class);

    /** What one pass did. */
    record Report(int orphansReleased, int rowsRequeued, int idleStopped) {}

    private final JdbcWorkspaceStore store;
    private final JdbcJobQueue queue;
    private final WorkspaceBackend backend;
    private final TransactionTemplate tx;
    private final EngineSettings settings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-reconciler").daemon().factory());

    WorkspaceReconciler(
            JdbcWorkspaceStore store,
            JdbcJobQueue queue,
            WorkspaceBackend backend,
            TransactionTemplate tx,
            EngineSettings settings) {
        this.store = store;
        this.queue = queue;
        this.backend = backend;
        this.tx = tx;
        this.settings = settings;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        Report report = reconcile();
                        if (!report.equals(new Report(0, 0, 0))) {
                            log.info("Reconciled workspaces: {}", report);
                        }
                    } catch (RuntimeException e) {
                        log.warn("Reconciling workspaces failed: {}", e.toString());
                    }
                },
                0,
                settings.reconcileInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    Report reconcile() {
        Map<UUID, Row> rows = new HashMap<>();
        for (Row row : store.ofBackend(backend.kind())) {
            rows.put(row.id(), row);
        }
        int released = 0;
        Map<UUID, OwnedWorkspace> running = new HashMap<>();
        for (OwnedWorkspace owned : backend.listOwned()) {
            if (!owned.running()) {
                continue;
            }
            Row row = rows.get(owned.workspaceId());
            boolean wanted = row != null
                    && (row.state().isActive()
                            || row.state() == WorkspaceState.PROVISIONING
                            || queue.hasOpenJob(row.id()));
            if (wanted) {
                running.put(owned.workspaceId(), owned);
                continue;
            }
            backend.releaseOrphan(owned);
            released++;
            if (row != null) {
                store.event(row.id(), "reconciled", row.state(), "Released a running environment no state wanted");
            }
        }
        int requeued = 0;
        for (Row row : rows.values()) {
            if (row.state().isActive() && !running.containsKey(row.id()) && !queue.hasOpenJob(row.id())) {
                tx.executeWithoutResult(status -> {
                    store.event(
                            row.id(),
                            "reconciled",
                            row.state(),
                            "The backend no longer has this environment running; repairing");
                    queue.enqueue(row.id());
                });
                requeued++;
            }
        }
        List<UUID> idle = tx.execute(status -> {
            List<UUID> ids = store.markIdleForStop();
            for (UUID id : ids) {
                store.event(id, "requested", WorkspaceState.RUNNING, "Idle for longer than the timeout; stopping");
                queue.enqueue(id);
            }
            return ids;
        });
        return new Report(released, requeued, idle == null ? 0 : idle.size());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        Shutdown.awaitQuietly(scheduler);
    }
}
