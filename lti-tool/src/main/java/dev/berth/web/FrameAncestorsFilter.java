package dev.berth.web;

import dev.berth.lti.PlatformRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Content-Security-Policy: frame-ancestors} listing only the registered platforms' origins, so Berth's
 * pages can sit in an LMS iframe and nowhere else ({@link FrameAncestors}).
 */
class FrameAncestorsFilter extends OncePerRequestFilter {

    private final FrameAncestors policy;

    FrameAncestorsFilter(PlatformRegistry platforms) {
        this.policy = new FrameAncestors(platforms, "'self'", "; base-uri 'self'; object-src 'none'");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", policy.policy());
        chain.doFilter(request, response);
    }
}
