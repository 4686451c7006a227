package dev.berth.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the homes of RUNNING and STOPPED workspaces every few minutes and stores the sizes, so that staff
 * pages read a column instead of walking disks per page view. Measuring may be slow (the local backend walks
 * the folder), so it runs on its own thread, a batch at a time, never inside a job step.
 */
public final class HomeSizes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HomeSizes.class);
    private static final int BATCH = 100;
    private static final int MAX_BATCHES_PER_ROUND = 50;

    private final JdbcWorkspaceStore store;
    private final WorkspaceBackend backend;
    private final Duration every;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-home-sizes").daemon().factory());

    HomeSizes(JdbcWorkspaceStore store, WorkspaceBackend backend, Duration every) {
        this.store = store;
        this.backend = backend;
        this.every = every;
    }

    void start() {
        long period = every.toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        measureDue();
                    } catch (RuntimeException e) {
                        log.warn("Measuring workspace homes failed: {}", e.toString());
                    }
                },
                Math.min(period, 10_000),
                period,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Measures every workspace of this backend that is due (never measured, or not within the interval); returns
     * how many sizes were stored. Safe to call from any replica at any time.
     */
    public int measureDue() {
        int stored = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_ROUND; batch++) {
            List<UUID> due = store.claimHomesToMeasure(backend.kind(), every, BATCH);
            for (UUID id : due) {
                stored += store.find(id).map(this::measure).orElse(0);
            }
            if (due.size() < BATCH) {
                break;
            }
        }
        return stored;
    }

    private int measure(JdbcWorkspaceStore.Row row) {
        OptionalLong bytes;
        try {
            bytes = backend.homeBytes(row.spec(), row.refs());
        } catch (RuntimeException e) {
            log.debug("Could not measure the home of {}: {}", row.id(), e.toString());
            return 0;
        }
        if (bytes.isEmpty()) {
            return 0;
        }
        store.saveHomeBytes(row.id(), bytes.getAsLong());
        return 1;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        Shutdown.awaitQuietly(scheduler);
    }
}
