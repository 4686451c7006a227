package dev.berth.web;

import dev.berth.lti.PlatformRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Content-Security-Policy: frame-ancestors} listing only the registered platforms' origins, so Berth's
 * pages can sit in an LMS iframe and nowhere else. The origins come from {@link PlatformRegistry#frameOrigins()},
 * which knows when they are stale; the header is rebuilt when they change.
 */
class FrameAncestorsFilter extends OncePerRequestFilter {

    private final PlatformRegistry platforms;
    private volatile Cached cached = new Cached("", null);

    private record Cached(String policy, Set<String> origins) {}

    FrameAncestorsFilter(PlatformRegistry platforms) {
        this.platforms = platforms;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", policy());
        chain.doFilter(request, response);
    }

    String policy() {
        Set<String> origins = platforms.frameOrigins();
        Cached current = cached;
        if (current.origins() != origins) {
            StringBuilder policy = new StringBuilder("frame-ancestors 'self'");
            for (String origin : origins) {
                policy.append(' ').append(origin);
            }
            policy.append("; base-uri 'self'; object-src 'none'");
            current = new Cached(policy.toString(), origins);
            cached = current;
        }
        return current.policy();
    }
}
