package dev.berth.terminal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Everything but the WebSocket: the terminal page and its scripts under the base path, the health check, and
 * 404 for anything outside the base path (the gateway keeps the prefix, so nothing legitimate arrives without it).
 */
final class TerminalPages extends HttpServlet {

    private static final String STATIC = "/dev/berth/terminal/static/";
    private static final Pattern FILE = Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*\\.(html|js|css)|[a-z-]+/LICENSE");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=UTF-8",
            "js", "text/javascript;charset=UTF-8",
            "css", "text/css;charset=UTF-8");

    /** xterm.js injects style elements; everything else is from this origin, scripts included. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; base-uri 'none'; form-action 'none'";

    private final String basePath;
    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

    TerminalPages(String basePath) {
        this.basePath = basePath;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (path.length() > 1 && path.equals(basePath.substring(0, basePath.length() - 1))) {
            // Without the trailing slash the page's relative URLs (scripts, the socket) would miss the prefix.
            String lastSegment = path.substring(path.lastIndexOf('/') + 1);
            response.sendRedirect(lastSegment + "/");
            return;
        }
        if (!path.startsWith(basePath)) {
            notFound(response);
            return;
        }
        String rest = path.substring(basePath.length());
        if (rest.equals("healthz")) {
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write("ok");
            return;
        }
        String name = rest.isEmpty() ? "index.html" : rest;
        Optional<byte[]> file =
                FILE.matcher(name).matches() ? files.computeIfAbsent(name, TerminalPages::load) : Optional.empty();
        if (file.isEmpty()) {
            notFound(response);
            return;
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        response.setContentType(TYPES.getOrDefault(extension, "text/plain;charset=UTF-8"));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", name.equals("index.html") ? "no-cache" : "max-age=3600");
        if (name.equals("index.html")) {
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        response.setContentLength(file.get().length);
        response.getOutputStream().write(file.get());
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write("not found".getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = TerminalPages.class.getResourceAsStream(STATIC + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
