package dev.berth.workspace;

import dev.berth.course.LaunchAuthentication;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.WorkspaceRoute;
import dev.berth.provisioning.Workspaces;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /ws/{workspaceId}/…} on Berth's own host.
 *
 * <p>With per-workspace origins (the default, {@code berth.workspaces.origins.mode=per-workspace}) workspaces are
 * never served here: each one lives on a host of its own, where {@link WorkspaceHostFilter} serves it to viewers
 * holding that workspace's session cookie, which they get through a one-time token from
 * {@code /workspaces/{id}/open}. A {@code GET} here is sent through that entry; anything else is 404.
 *
 * <p>With {@code mode=single}, this serves the workspace on Berth's origin to its owner and its course's staff,
 * authenticated by Berth's session (Spring Security has already turned away requests without one: 401). A page a
 * student serves then runs on Berth's origin and could act on Berth with a viewer's session; docs/security.md says
 * when that is acceptable.
 */
final class WorkspaceGateway extends HttpServlet {

    static final String PREFIX = "/ws/";

    private static final long serialVersionUID = 1L;

    private final transient Workspaces workspaces;
    private final transient WorkspaceForwarder forwarder;
    private final transient WorkspaceOrigins origins;

    WorkspaceGateway(Workspaces workspaces, WorkspaceForwarder forwarder, WorkspaceOrigins origins) {
        this.workspaces = workspaces;
        this.forwarder = forwarder;
        this.origins = origins;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String rest = uri.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        Optional<UUID> id = WorkspaceOrigins.canonicalUuid(slash < 0 ? rest : rest.substring(0, slash));
        if (id.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (origins.perWorkspace()) {
            if (!request.getMethod().equals("GET") || "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            // An old link or bookmark: enter the way pages do, which checks access and hands over a token.
            response.sendRedirect(response.encodeRedirectURL(WorkspaceLinks.openPath(id.get())));
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
        Optional<WorkspaceRoute> found = workspaces.route(id.get());
        if (found.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (!WorkspaceAccess.mayEnter(user, found.get().workspace())) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        if (slash < 0) {
            // The workspace's relative links resolve against its base path, which ends with a slash.
            String query = request.getQueryString();
            response.sendRedirect(response.encodeRedirectURL(uri + "/" + (query == null ? "" : "?" + query)));
            return;
        }
        forwarder.forward(found.get(), uri, request, response);
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
        return unsafe && !origin.equalsIgnoreCase(origins.berthOrigin());
    }
}
