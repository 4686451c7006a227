package dev.berth.provisioning;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code berth.workspaces.*}: whether this process runs the lifecycle engine, its timings, and the local backend's
 * settings. The defaults are the production values (docs/configuration.md explains each); a value that cannot work
 * (a zero interval, fewer than one attempt) stops the application at start with the property's name.
 *
 * @param enabled run the engine (runner and reconciler) in this process
 * @param pollInterval how often an idle runner looks for jobs
 * @param heartbeatInterval how often a runner proves it still works on a claimed job
 * @param staleAfter a claim whose heartbeat is older than this is taken over by another runner (or by this one
 *     after a restart): the time a crashed replica's work waits before it resumes
 * @param healthPollInterval how often a starting workspace is observed
 * @param retryBase first retry delay after a failed step; doubled per attempt up to {@code retryMax}
 * @param retryMax longest retry delay
 * @param maxAttempts failed attempts after which a workspace is FAILED
 * @param maxConcurrentJobs jobs one runner works on at once
 * @param reconcileInterval how often the reconciler compares the backend with the rows and stops idle workspaces
 * @param homeSizeInterval how often the size of RUNNING and STOPPED workspaces' homes is measured for staff pages
 * @param local the local backend
 */
@ConfigurationProperties("berth.workspaces")
public record WorkspaceEngineProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration staleAfter,
        @DefaultValue("250ms") Duration healthPollInterval,
        @DefaultValue("2s") Duration retryBase,
        @DefaultValue("2m") Duration retryMax,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("16") int maxConcurrentJobs,
        @DefaultValue("30s") Duration reconcileInterval,
        @DefaultValue("5m") Duration homeSizeInterval,
        @DefaultValue Local local) {

    public WorkspaceEngineProperties {
        positive("poll-interval", pollInterval);
        positive("heartbeat-interval", heartbeatInterval);
        positive("stale-after", staleAfter);
        positive("health-poll-interval", healthPollInterval);
        positive("retry-base", retryBase);
        positive("retry-max", retryMax);
        positive("reconcile-interval", reconcileInterval);
        positive("home-size-interval", homeSizeInterval);
        if (staleAfter.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("berth.workspaces.stale-after (" + staleAfter
                    + ") must be longer than berth.workspaces.heartbeat-interval (" + heartbeatInterval
                    + "), or every claim would look abandoned");
        }
        if (retryMax.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("berth.workspaces.retry-max must not be shorter than retry-base");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("berth.workspaces.max-attempts must be at least 1");
        }
        if (maxConcurrentJobs < 1) {
            throw new IllegalArgumentException("berth.workspaces.max-concurrent-jobs must be at least 1");
        }
    }

    /**
     * {@code berth.workspaces.local.*}: the local backend.
     *
     * @param root where workspaces live (one folder each: home, run record, log); empty means {@code
     *     <berth.data-dir>/workspaces}
     * @param stopGrace how long a stopping workspace gets after SIGTERM before its process tree is killed
     * @param logCap the size at which a workspace's output log drops its older half
     * @param limitAddressSpace cap each process's address space at its environment's memory (with {@code prlimit});
     *     off by default because V8 and the JVM reserve far more virtual memory than they use
     */
    public record Local(
            Path root,
            @DefaultValue("5s") Duration stopGrace,
            @DefaultValue("1MB") DataSize logCap,
            @DefaultValue("false") boolean limitAddressSpace) {

        public Local {
            positive("local.stop-grace", stopGrace);
            if (logCap.toBytes() < 1024) {
                throw new IllegalArgumentException("berth.workspaces.local.log-cap must be at least 1KB");
            }
        }
    }

    EngineSettings settings() {
        return new EngineSettings(
                pollInterval,
                heartbeatInterval,
                staleAfter,
                healthPollInterval,
                retryBase,
                retryMax,
                maxAttempts,
                maxConcurrentJobs,
                reconcileInterval);
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("berth.workspaces." + name + " must be positive, not " + value);
        }
    }
}
