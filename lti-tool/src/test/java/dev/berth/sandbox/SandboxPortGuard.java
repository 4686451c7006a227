package dev.berth.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two sites apart in one Tomcat: on the sandbox's port only the sandbox's pages exist, and on
 * Berth's port none of them do. Both get a 404 that says where to go instead.
 */
final class SandboxPortGuard extends OncePerRequestFilter {

    private final SandboxServer server;
    private final List<String> sandboxPrefixes;

    SandboxPortGuard(SandboxServer server, SandboxCatalogue catalogue) {
        this.server = server;
        this.sandboxPrefixes = catalogue.platforms().stream()
                .map(platform -> "/" + platform.key() + "/")
                .toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean sandboxPath = path.equals("/") || sandboxPrefixes.stream().anyMatch(path::startsWith);
        boolean onSandbox = server.serves(request);
        if (onSandbox && !sandboxPath) {
            refuse(response, "This is the sandbox LMS; Berth's pages are not served on this port.");
        } else if (!onSandbox && sandboxPath && !path.equals("/")) {
            refuse(response, "This is Berth; the sandbox LMS is at " + server.baseUrl() + "/");
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/plain");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().println(message);
    }
}
