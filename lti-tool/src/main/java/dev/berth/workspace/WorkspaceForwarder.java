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
    private final Map<UUID, Long> lastActivity = new ConcurrentHashMap<>();

    WorkspaceForwarder(Workspaces workspaces, WorkspaceRelay relay, Clock clock) {
        this.workspaces = workspaces;
        this.relay = relay;
        this.clock = clock;
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
