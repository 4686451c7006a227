package dev.berth.provisioning;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Shutting down the engine's executors. */
final class Shutdown {

    /** How long a closing component waits for its interrupted tasks to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private Shutdown() {}

    /** Waits up to {@link #CLOSE_WAIT} in all for executors already shut down to finish their tasks. */
    static void awaitQuietly(ExecutorService... executors) {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ExecutorService executor : executors) {
            try {
                executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
