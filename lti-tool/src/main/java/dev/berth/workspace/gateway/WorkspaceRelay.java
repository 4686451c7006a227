package dev.berth.workspace.gateway;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Relays one request from a viewer's browser to a workspace's server on loopback (or a task's private address):
 * plain HTTP with bodies streamed both ways, and WebSocket connections frame by frame. It decides nothing about
 * who may enter which workspace; the caller has done that and names the upstream.
 *
 * <p>What the upstream learns of the viewer: the request as sent, minus hop-by-hop headers, {@code Authorization}
 * and Berth's own cookies and session query parameter, plus {@code X-Forwarded-For/-Proto/-Host/-Port}. A process
 * in a workspace therefore never holds anything that lets it act as the viewer on Berth.
 *
 * <p>Built on the JDK's HTTP and WebSocket clients (no extra library, HTTP/1.1 to the upstream, redirects never
 * followed, bodies never decompressed) and on the servlet container's JSR-356 server for the browser's leg.
 */
public final class WorkspaceRelay implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final RelaySettings settings;
    private final RelayHeaders headers;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    public WorkspaceRelay(RelaySettings settings) {
        this.settings = Objects.requireNonNull(settings);
        this.headers = new RelayHeaders(settings.berthCookies());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .executor(executor)
                .build();
    }

    /**
     * Relays an HTTP request to {@code upstream} (scheme, host and port) at {@code pathAndQuery} (raw, as it
     * goes on the request line). An upstream that refuses or fails before answering gives the viewer a 502 page
     * (JSON when asked for), one that does not answer within the response timeout a 504; a failure once the
     * response has started aborts the connection, as the upstream's own failure would.
     */
    public void http(HttpServletRequest request, HttpServletResponse response, URI upstream, String pathAndQuery)
            throws IOException {
        URI target;
        try {
            target = target(upstream, pathAndQuery);
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        HttpRequest.Builder outgoing = HttpRequest.newBuilder(target)
                .timeout(settings.responseTimeout())
                .method(request.getMethod(), body(request));
        headers.upstream(request, Set.of(), outgoing::header);
        RelayHeaders.sameOriginRewrite(request, target).ifPresent(origin -> outgoing.setHeader("Origin", origin));
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(outgoing.build(), BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            boolean connecting = e instanceof java.net.http.HttpConnectTimeoutException;
            failure(request, response, connecting ? 502 : 504, connecting ? "unreachable" : "timeout");
            return;
        } catch (ConnectException e) {
            failure(request, response, 502, "unreachable");
            return;
        } catch (IOException e) {
            failure(request, response, 502, "failed");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure(request, response, 502, "failed");
            return;
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            for (String value : values) {
                headers.downstream(name, value).ifPresent(kept -> response.addHeader(name, kept));
            }
        });
        try (InputStream in = answer.body()) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                // Flush whenever the upstream pauses, so event streams and long polls are not held back.
                if (in.available() == 0) {
                    out.flush();
                }
            }
        }
    }

    /**
     * Upgrades the viewer's request to a WebSocket relayed to {@code upstream} ({@code ws://host:port/path?query}).
     * The upstream is connected first, offered the subprotocols the browser asked for, and the browser is given
     * the one the upstream chose; an upstream that refuses gives a 502 before any upgrade. Frames, text or binary
     * and in parts, are relayed one at a time in each direction: neither side can make Berth hold more than one
     * frame part for it.
     */
    public void webSocket(HttpServletRequest request, HttpServletResponse response, URI upstream)
            throws IOException, ServletException {
        webSocket(request, response, upstream, () -> {});
    }

    /**
     * As {@link #webSocket(HttpServletRequest, HttpServletResponse, URI)}, calling {@code onBrowserFrame} for each
     * frame part the browser sends (someone is at work in it); it must be quick, as it runs on the relay's path.
     */
    public void webSocket(
            HttpServletRequest request, HttpServletResponse response, URI upstream, Runnable onBrowserFrame)
            throws IOException, ServletException {
        WebSocketRelay.relay(client, headers, settings, request, response, stripQuery(upstream), onBrowserFrame);
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }

    URI target(URI upstream, String pathAndQuery) {
        String base = upstream.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery;
        return stripQuery(URI.create(base + path));
    }

    /** Drops Berth's session query parameter, which would otherwise hand the viewer's session to the upstream. */
    private URI stripQuery(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || settings.berthQueryParameters().isEmpty()) {
            return uri;
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(pair -> !settings.berthQueryParameters().contains(pair.split("=", 2)[0]))
                .collect(Collectors.joining("&"));
        String text = uri.toString();
        String withoutQuery = text.substring(0, text.indexOf('?'));
        return URI.create(kept.isEmpty() ? withoutQuery : withoutQuery + "?" + kept);
    }

    private static BodyPublisher body(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (length == 0 || (length < 0 && !chunked)) {
            return BodyPublishers.noBody();
        }
        BodyPublisher stream = BodyPublishers.ofInputStream(() -> {
            try {
                return request.getInputStream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return length > 0 ? BodyPublishers.fromPublisher(stream, length) : stream;
    }

    static void failure(HttpServletRequest request, HttpServletResponse response, int status, String reason)
            throws IOException {
        if (response.isCommitted()) {
            throw new IOException("The workspace failed after its response had started: " + reason);
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        String message = status == 504
                ? "The workspace did not answer in time. Try again in a moment."
                : "The workspace is not answering. It may be starting or stopped; try again in a moment.";
        String accept = Objects.requireNonNullElse(request.getHeader("Accept"), "");
        byte[] body;
        if (accept.toLowerCase(Locale.ROOT).contains("application/json")) {
            response.setContentType("application/json");
            body = ("{\"status\":" + status + ",\"error\":\"workspace_" + reason + "\",\"message\":\"" + message
                            + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            response.setContentType("text/html;charset=UTF-8");
            body =
                    ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Workspace unavailable</title>"
                                    + "</head><body><main><h1>Workspace unavailable</h1><p>" + message
                                    + "</p></main></body></html>")
                            .getBytes(StandardCharsets.UTF_8);
        }
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
