package dev.berth.web;

import dev.berth.lti.PlatformRegistry;
import java.util.Set;

/**
 * A {@code Content-Security-Policy} whose {@code frame-ancestors} are {@code self} (who else may frame the page)
 * and the registered platforms' origins, as {@link PlatformRegistry#frameOrigins()} keeps them current. The value
 * is rebuilt only when that set changes.
 */
public final class FrameAncestors {

    private final PlatformRegistry platforms;
    private final String self;
    private final String rest;
    private volatile Cached cached = new Cached("", null);

    private record Cached(String policy, Set<String> origins) {}

    /**
     * @param self the first source of {@code frame-ancestors} ({@code 'self'}, or an origin)
     * @param rest what follows the directive (further directives, each starting with {@code ;}), or empty
     */
    public FrameAncestors(PlatformRegistry platforms, String self, String rest) {
        this.platforms = platforms;
        this.self = self;
        this.rest = rest;
    }

    public String policy() {
        Set<String> origins = platforms.frameOrigins();
        Cached current = cached;
        if (current.origins() != origins) {
            StringBuilder policy = new StringBuilder("frame-ancestors ").append(self);
            for (String origin : origins) {
                policy.append(' ').append(origin);
            }
            policy.append(rest);
            current = new Cached(policy.toString(), origins);
            cached = current;
        }
        return current.policy();
    }
}
