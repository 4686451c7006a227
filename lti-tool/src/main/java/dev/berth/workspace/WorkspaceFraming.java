package dev.berth.workspace;

import dev.berth.lti.PlatformRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code frame-ancestors} of pages on a workspace's host: Berth's origin (whose student and instructor pages
 * frame the workspace) and the registered platforms' origins (which frame Berth: the directive checks every
 * ancestor, not only the parent). Recomputed when the registry changes here, and every few seconds for changes
 * made by other replicas.
 */
final class WorkspaceFraming {

    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final PlatformRegistry platforms;
    private final Clock clock;
    private final String berthOrigin;
    private volatile Cached cached = new Cached("", -1, Instant.EPOCH);

    private record Cached(String policy, long version, Instant at) {}

    WorkspaceFraming(PlatformRegistry platforms, Clock clock, String berthOrigin) {
        this.platforms = platforms;
        this.clock = clock;
        this.berthOrigin = berthOrigin;
    }

    /** The value of a {@code Content-Security-Policy} header that states who may frame a workspace. */
    String policy() {
        Cached current = cached;
        Instant now = clock.instant();
        if (current.version() != platforms.version()
                || current.at().plus(REFRESH).isBefore(now)) {
            long version = platforms.version();
            StringBuilder policy = new StringBuilder("frame-ancestors ").append(berthOrigin);
            for (String origin : platforms.frameOrigins()) {
                policy.append(' ').append(origin);
            }
            current = new Cached(policy.toString(), version, now);
            cached = current;
        }
        return current.policy();
    }
}
