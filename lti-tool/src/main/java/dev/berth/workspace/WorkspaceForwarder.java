package dev.berth.workspace;

import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceRoute;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.workspace.gateway.WorkspaceRelay;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last step of the gateway, once it knows who may see which workspace: the request goes to the workspace's
 * server (its base path kept or stripped as the environment says), and use of the workspace counts as activity.
 */
final class WorkspaceForwarder {

    /** Activity is written at most this often per workspace from this replica, whatever the traffic. */
    private static final Duration ACTIVITY_EVERY = Duration.ofSeconds(5);

    private final Workspaces workspaces;
    private final WorkspaceRelay relay;
    private final Clock clock;
    /**
     * A running workspace's route is reused for this long, so a busy IDE (dozens of requests per page) costs no
     * database read per request. A workspace that stops or moves is seen within this time; until then its old
     * endpoint answers 502, as a stopping process would.
     */
    private static final Duration ROUTE_REUSE = Duration.ofSeconds(1);

    private final Map<UUID, Long> lastActivity = new ConcurrentHashMap<>();
    private final Map<UUID, CachedRoute> routes = new ConcurrentHashMap<>();

    private record CachedRoute(WorkspaceRoute route, long readAt) {}

    WorkspaceForwarder(Workspaces workspaces, WorkspaceRelay relay, Clock clock) {
        this.workspaces = workspaces;
        this.relay = relay;
        this.clock = clock;
    }

    /** The workspace's route; a running one from memory if read within the last second. */
    Optional<WorkspaceRoute> route(UUID id) {
        long now = clock.millis();
        CachedRoute cached = routes.get(id);
        if (cached != null && now - cached.readAt() < ROUTE_REUSE.toMillis()) {
            return Optional.of(cached.route());
        }
        Optional<WorkspaceRoute> route = workspaces.route(id);
        if (route.isPresent() && route.get().workspace().state() == WorkspaceState.RUNNING) {
            routes.put(id, new CachedRoute(route.get(), now));
        } else {
            routes.remove(id);
        }
        return route;
    }

    /**
     * Relays the request, whose path ({@code path}, raw) lies under the workspace's base path. A workspace that is
     * not running answers 503.
     */
    void forward(WorkspaceRoute route, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        Workspace workspace = route.workspace();
        if (workspace.state() != WorkspaceState.RUNNING || workspace.endpoint() == null) {
            response.setHeader("Cache-Control", "no-store");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The workspace is not running.");
            return;
        }
        UUID id = workspace.id();
        activity(id);
        String query = request.getQueryString();
        String upstreamPath = route.upstreamPath(path);
        String pathAndQuery = query == null ? upstreamPath : upstreamPath + "?" + query;
        URI endpoint = URI.create(workspace.endpoint());
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            String scheme = "https".equals(endpoint.getScheme()) ? "wss" : "ws";
            // Frames the viewer sends keep the workspace from idling out during a long session (a terminal
            // someone types in for an hour is one WebSocket).
            relay.webSocket(
                    request,
                    response,
                    URI.create(scheme + "://" + endpoint.getRawAuthority() + pathAndQuery),
                    () -> activity(id));
        } else {
            relay.http(request, response, endpoint, pathAndQuery);
        }
    }

    /** Records use of the workspace, throttled here so that a busy WebSocket costs no database write per frame. */
    void activity(UUID id) {
        long now = clock.millis();
        Long last = lastActivity.get(id);
        if (last != null && now - last < ACTIVITY_EVERY.toMillis()) {
            return;
        }
        lastActivity.put(id, now);
        workspaces.recordActivity(id);
    }
}
