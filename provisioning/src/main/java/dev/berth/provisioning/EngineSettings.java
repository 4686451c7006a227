package dev.berth.provisioning;

import java.time.Duration;

/**
 * The engine's timings. Production defaults in {@link #defaults()}; tests shorten them.
 *
 * @param pollInterval how often an idle runner looks for jobs
 * @param heartbeatInterval how often a runner proves it still works on a claimed job
 * @param staleAfter a claim whose heartbeat is older than this is taken over by another runner
 * @param healthPollInterval how often a starting workspace is observed
 * @param retryBase first retry delay; doubled per attempt up to {@code retryMax}
 * @param maxAttempts failed attempts after which a workspace is FAILED
 * @param maxConcurrentJobs jobs one runner works on at once
 * @param reconcileInterval how often the reconciler and the idle stop run
 */
record EngineSettings(
        Duration pollInterval,
        Duration heartbeatInterval,
        Duration staleAfter,
        Duration healthPollInterval,
        Duration retryBase,
        Duration retryMax,
        int maxAttempts,
        int maxConcurrentJobs,
        Duration reconcileInterval) {

    static EngineSettings defaults() {
        return new EngineSettings(
                Duration.ofMillis(500),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMillis(250),
                Duration.ofSeconds(2),
                Duration.ofMinutes(2),
                5,
                16,
                Duration.ofSeconds(30));
    }

    Duration backoff(int failedAttempts) {
        long factor = 1L << Math.min(Math.max(failedAttempts - 1, 0), 20);
        Duration delay = retryBase.multipliedBy(factor);
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }
}
