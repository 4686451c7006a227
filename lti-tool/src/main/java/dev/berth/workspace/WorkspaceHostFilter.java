package dev.berth.workspace;

import dev.berth.provisioning.WorkspaceRoute;
import dev.berth.web.FrameAncestors;
import dev.berth.workspace.WorkspaceOrigins.Host;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.filter.OncePerRequestFilter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The gateway on workspace hosts ({@code ws-{id}.localhost}, {@code {id}.workspaces.example.edu}): it runs before
 * everything else of Berth, and a request to a workspace's host never goes further, so Berth's pages, session and
 * security never answer there. On that host:
 *
 * <ul>
 *   <li>{@value #ENTER}{@code ?token=…} redeems a one-time entry token minted by Berth's
 *       {@code /workspaces/{id}/open}, sets the workspace session cookie and goes on to {@value #CHECK};
 *   <li>{@value #CHECK} finds out whether the cookie came back (a browser may refuse cookies in a third-party
 *       frame even when partitioned) and then enters the workspace, or offers to open it in a tab of its own;
 *   <li>everything under the workspace's base path {@code /ws/{id}/} needs that workspace's session cookie (401
 *       otherwise) and, for unsafe methods and WebSocket handshakes, the workspace's own Origin (403 otherwise),
 *       and goes to the workspace.
 * </ul>
 *
 * Every answer may be framed by Berth and the registered platforms only.
 */
final class WorkspaceHostFilter extends OncePerRequestFilter {

    /** Paths under this are the gateway's own on a workspace host; the workspace never sees them. */
    static final String RESERVED = "/.berth/";

    static final String ENTER = RESERVED + "enter";
    static final String CHECK = RESERVED + "check";

    /** How long the "open in a new tab" link of the blocked-cookie page stays usable. */
    private static final Duration NEW_TAB_TTL = Duration.ofMinutes(10);

    private final WorkspaceOrigins origins;
    private final EntryTokens tokens;
    private final WorkspaceSessions sessions;
    private final WorkspaceForwarder forwarder;
    private final FrameAncestors framing;
    private final ITemplateEngine templates;

    WorkspaceHostFilter(
            WorkspaceOrigins origins,
            EntryTokens tokens,
            WorkspaceSessions sessions,
            WorkspaceForwarder forwarder,
            FrameAncestors framing,
            ITemplateEngine templates) {
        this.origins = origins;
        this.tokens = tokens;
        this.sessions = sessions;
        this.forwarder = forwarder;
        this.framing = framing;
        this.templates = templates;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        // An error on a workspace host must not be rendered by Berth's error page.
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Host host = origins.host(request);
        if (host instanceof Host.Berth) {
            chain.doFilter(request, response);
            return;
        }
        if (!(host instanceof Host.Workspace(UUID id))) {
            page(request, response, 421, "misdirected", null);
            return;
        }
        response.setHeader("Content-Security-Policy", framing.policy());
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int code = status instanceof Integer given ? given : 500;
            String kind =
                    switch (code) {
                        case 503 -> "not-running";
                        case 404 -> "not-found";
                        default -> "error";
                    };
            page(request, response, code, kind, code == 503 ? berthOpen(id) : null);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(ENTER)) {
            enter(id, request, response);
        } else if (path.equals(CHECK)) {
            check(id, request, response);
        } else if (path.startsWith(RESERVED)) {
            page(request, response, 404, "not-found", null);
        } else {
            workspace(id, path, request, response);
        }
    }

    private void enter(UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("GET")) {
            response.setHeader("Allow", "GET");
            page(request, response, 405, "not-found", null);
            return;
        }
        Optional<String> viewer = tokens.redeem(request.getParameter("token"), id);
        if (viewer.isEmpty()) {
            page(request, response, 400, "token", berthOpen(id));
            return;
        }
        response.addHeader("Set-Cookie", WorkspaceSessions.setCookie(sessions.issue(id, viewer.get())));
        // A spare token for the "open in a new tab" link, should the cookie not come back; discarded if it does.
        String spare = tokens.mint(id, viewer.get(), NEW_TAB_TTL);
        redirect(response, CHECK + "?tab=" + spare);
    }

    private void check(UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String spare = request.getParameter("tab");
        if (session(request, id).isPresent()) {
            tokens.discard(spare, id);
            redirect(response, WorkspaceOrigins.basePath(id));
            return;
        }
        String newTab = EntryTokens.wellFormed(spare)
                ? origins.origin(id) + ENTER + "?token=" + URLEncoder.encode(spare, StandardCharsets.UTF_8)
                : berthOpen(id);
        page(request, response, 200, "blocked", newTab);
    }

    private void workspace(UUID id, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (session(request, id).isEmpty()) {
            page(request, response, 401, "no-session", berthOpen(id));
            return;
        }
        if (crossOrigin(request, id)) {
            page(request, response, 403, "cross-origin", null);
            return;
        }
        String basePath = WorkspaceOrigins.basePath(id);
        if (path.equals("/") || path.equals(basePath.substring(0, basePath.length() - 1))) {
            String query = request.getQueryString();
            redirect(response, basePath + (query == null ? "" : "?" + query));
            return;
        }
        if (!path.startsWith(basePath)) {
            page(request, response, 404, "not-found", null);
            return;
        }
        Optional<WorkspaceRoute> route = forwarder.route(id);
        if (route.isEmpty()) {
            page(request, response, 404, "not-found", null);
            return;
        }
        forwarder.forward(route.get(), path, request, response);
    }

    private Optional<WorkspaceSessions.Viewer> session(HttpServletRequest request, UUID id) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (WorkspaceSessions.COOKIE.equals(cookie.getName())) {
                Optional<WorkspaceSessions.Viewer> viewer = sessions.check(cookie.getValue(), id);
                if (viewer.isPresent()) {
                    return viewer;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A WebSocket handshake or an unsafe method whose browser-sent Origin is not this workspace's: the session
     * cookie is SameSite=None (it must work in the LMS iframe), so a foreign page could otherwise use it.
     */
    private boolean crossOrigin(HttpServletRequest request, UUID id) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String method = request.getMethod();
        boolean unsafe = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                || !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        return unsafe && !origin.strip().toLowerCase(Locale.ROOT).equals(origins.origin(id));
    }

    private String berthOpen(UUID id) {
        return origins.berthOrigin() + WorkspaceLinks.openPath(id);
    }

    private static void redirect(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    /** One of the gateway's own small pages ({@code templates/workspace/gateway.html}), never a workspace's. */
    private void page(HttpServletRequest request, HttpServletResponse response, int status, String kind, String link)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/html;charset=UTF-8");
        Context context = new Context(request.getLocale());
        context.setVariable("kind", kind);
        context.setVariable("status", status);
        context.setVariable("link", link);
        context.setVariable("stylesheet", origins.berthOrigin() + "/css/berth.css");
        templates.process("workspace/gateway", context, response.getWriter());
        response.flushBuffer();
    }
}
