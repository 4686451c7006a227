package dev.berth.web;

import dev.berth.lti.PlatformRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Content-Security-Policy: frame-ancestors} listing only the registered platforms' origins, so Berth's
 * pages can sit in an LMS iframe and nowhere else. Recomputed when the registry changes here, and at least
 * every few seconds for changes made by other replicas.
 */
class FrameAncestorsFilter extends OncePerRequestFilter {

    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final PlatformRegistry platforms;
    private final Clock clock;
    private volatile Cached cached = new Cached("frame-ancestors 'self'", -1, Instant.EPOCH);

    private record Cached(String policy, long version, Instant at) {}

    FrameAncestorsFilter(PlatformRegistry platforms, Clock clock) {
        this.platforms = platforms;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", policy());
        chain.doFilter(request, response);
    }

    String policy() {
        Cached current = cached;
        Instant now = clock.instant();
        if (current.version() != platforms.version()
                || current.at().plus(REFRESH).isBefore(now)) {
            long version = platforms.version();
            StringBuilder policy = new StringBuilder("frame-ancestors 'self'");
            for (String origin : platforms.frameOrigins()) {
                policy.append(' ').append(origin);
            }
            policy.append("; base-uri 'self'; object-src 'none'");
            current = new Cached(policy.toString(), version, now);
            cached = current;
        }
        return current.policy();
    }
}
