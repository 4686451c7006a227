package dev.berth.workspace;

import dev.berth.lti.PlatformRegistry;
import java.util.Set;

/**
 * The {@code frame-ancestors} of pages on a workspace's host: Berth's origin (whose student and instructor pages
 * frame the workspace) and the registered platforms' origins (which frame Berth: the directive checks every
 * ancestor, not only the parent), as {@link PlatformRegistry#frameOrigins()} keeps them current.
 */
final class WorkspaceFraming {

    private final PlatformRegistry platforms;
    private final String berthOrigin;
    private volatile Cached cached = new Cached("", null);

    private record Cached(String policy, Set<String> origins) {}

    WorkspaceFraming(PlatformRegistry platforms, String berthOrigin) {
        this.platforms = platforms;
        this.berthOrigin = berthOrigin;
    }

    /** The value of a {@code Content-Security-Policy} header that states who may frame a workspace. */
    String policy() {
        Set<String> origins = platforms.frameOrigins();
        Cached current = cached;
        if (current.origins() != origins) {
            StringBuilder policy = new StringBuilder("frame-ancestors ").append(berthOrigin);
            for (String origin : origins) {
                policy.append(' ').append(origin);
            }
            current = new Cached(policy.toString(), origins);
            cached = current;
        }
        return current.policy();
    }
}
