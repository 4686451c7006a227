package dev.berth.workspace;

import dev.berth.course.LaunchAuthentication;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.workspace.gateway.WorkspaceRelay;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /ws/{workspaceId}/…}: lets the workspace's owner and its course's staff through to the workspace, HTTP and
 * WebSocket, with the path kept whole (the workspace serves under its base path {@code /ws/{id}/}). Spring Security
 * has already turned away requests without a session (401); this decides the rest.
 *
 * <p>Single origin for now: a workspace's pages run on Berth's origin, so a page a student serves could use a
 * viewer's session against Berth. The per-workspace origin of the design replaces this.
 */
final class WorkspaceGateway extends HttpServlet {

    static final String PREFIX = "/ws/";

    private static final long serialVersionUID = 1L;

    private final transient Workspaces workspaces;
    private final transient WorkspaceRelay relay;
    private final String berthOrigin;

    WorkspaceGateway(Workspaces workspaces, WorkspaceRelay relay, String berthOrigin) {
        this.workspaces = workspaces;
        this.relay = relay;
        this.berthOrigin = berthOrigin;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String rest = uri.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        Optional<UUID> id = uuid(slash < 0 ? rest : rest.substring(0, slash));
        if (id.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (!(request.getUserPrincipal() instanceof LaunchAuthentication authentication)) {
            response.sendError(
                    request.getUserPrincipal() == null
                            ? HttpServletResponse.SC_UNAUTHORIZED
                            : HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        if (crossSite(request)) {
            // Berth's cookie is SameSite=None (it must work in the LMS iframe), so a foreign page could
            // otherwise open a workspace's WebSocket or post to it with the viewer's session.
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Cross-site requests may not enter a workspace.");
            return;
        }
        LaunchUser user = authentication.getPrincipal();
        Optional<Workspace> found = workspaces.find(id.get());
        if (found.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Workspace workspace = found.get();
        if (!WorkspaceAccess.mayEnter(user, workspace)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String query = request.getQueryString();
        if (slash < 0) {
            // The workspace's relative links resolve against its base path, which ends with a slash.
            response.sendRedirect(response.encodeRedirectURL(uri + "/" + (query == null ? "" : "?" + query)));
            return;
        }
        if (workspace.state() != WorkspaceState.RUNNING || workspace.endpoint() == null) {
            response.setHeader("Cache-Control", "no-store");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The workspace is not running.");
            return;
        }
        workspaces.recordActivity(workspace.id());
        String pathAndQuery = query == null ? uri : uri + "?" + query;
        URI endpoint = URI.create(workspace.endpoint());
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            String scheme = "https".equals(endpoint.getScheme()) ? "wss" : "ws";
            relay.webSocket(request, response, URI.create(scheme + "://" + endpoint.getRawAuthority() + pathAndQuery));
        } else {
            relay.http(request, response, endpoint, pathAndQuery);
        }
    }

    /** A WebSocket handshake or an unsafe method whose browser-sent Origin is not Berth's own. */
    private boolean crossSite(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        boolean unsafe = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                || !(request.getMethod().equals("GET")
                        || request.getMethod().equals("HEAD")
                        || request.getMethod().equals("OPTIONS"));
        return unsafe && !origin.equalsIgnoreCase(berthOrigin);
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return text.length() == 36 ? Optional.of(UUID.fromString(text)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
