package dev.berth.workspace.gateway;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One relayed WebSocket: the browser's leg on the servlet container's JSR-356 server, the upstream's leg on the
 * JDK client. Each leg asks for the next frame part only once the previous one has been written to the other
 * leg (the JDK's {@code request(1)}; on the container side, its reading thread waits for the upstream write), so
 * a slow reader on either side holds at most one frame part in Berth.
 */
final class WebSocketRelay {

    /** The handshake's own headers, which the JDK client sets itself or refuses. */
    private static final Set<String> HANDSHAKE = Set.of(
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-extensions",
            "sec-websocket-protocol",
            "sec-websocket-accept",
            // The gateway checks the browser's origin itself; IDEs that compare Origin with Host (Jupyter) would
            // otherwise reject the workspace's own origin as cross-site.
            "origin");

    private WebSocketRelay() {}

    static void relay(
            HttpClient client,
            RelayHeaders headers,
            RelaySettings settings,
            HttpServletRequest request,
            HttpServletResponse response,
            URI upstream,
            Runnable onBrowserFrame)
            throws IOException, ServletException {
        ServerContainer container =
                (ServerContainer) request.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new ServletException("No WebSocket server container (jakarta.websocket) in this servlet context");
        }
        UpstreamLeg upstreamLeg = new UpstreamLeg();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(settings.connectTimeout());
        List<String> protocols = requestedSubprotocols(request);
        if (!protocols.isEmpty()) {
            builder.subprotocols(
                    protocols.getFirst(), protocols.subList(1, protocols.size()).toArray(String[]::new));
        }
        headers.upstream(request, HANDSHAKE, (name, value) -> {
            try {
                builder.header(name, value);
            } catch (IllegalArgumentException refusedByTheClient) {
                // A header the JDK's handshake owns; the upstream gets the client's own.
            }
        });
        WebSocket socket;
        try {
            socket = builder.buildAsync(upstream, upstreamLeg)
                    .get(settings.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            WorkspaceRelay.failure(request, response, 502, "unreachable");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WorkspaceRelay.failure(request, response, 502, "failed");
            return;
        }
        String chosen = socket.getSubprotocol();
        BrowserLeg browserLeg = new BrowserLeg(socket, upstreamLeg, settings, onBrowserFrame);
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(BrowserLeg.class, "/")
                .subprotocols(chosen == null || chosen.isEmpty() ? List.of() : List.of(chosen))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(browserLeg);
                    }
                })
                .build();
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (IOException | RuntimeException e) {
            socket.abort();
            throw e;
        } catch (Exception e) {
            socket.abort();
            throw new ServletException(e);
        }
        if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
            // The container refused the browser's handshake (and answered it); the upstream's leg has no partner.
            socket.abort();
        }
    }

    private static List<String> requestedSubprotocols(HttpServletRequest request) {
        List<String> protocols = new ArrayList<>();
        for (String line : Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))) {
            for (String token : line.split(",")) {
                if (!token.isBlank()) {
                    protocols.add(token.strip());
                }
            }
        }
        return protocols;
    }

    /** Close codes the receiving API may send on: 1005, 1006 and 1015 only describe a close, never go out. */
    static int sendable(int code, boolean toJdk) {
        return switch (code) {
            case 1005 -> 1000;
            case 1006, 1015 -> 1011;
            // The JDK client refuses these (WebSocket.sendClose); the browser could not have sent them anyway.
            case 1002, 1003, 1007, 1009, 1010, 1012, 1013 -> toJdk ? 1011 : code;
            default -> code >= 1000 && code <= 4999 ? code : 1011;
        };
    }

    /**
     * Text parts are cut wherever a buffer ends, which may be between the two halves of a surrogate pair; the
     * half is held back to start the next part.
     */
    static final class TextParts {
        private char pending;
        private boolean hasPending;

        String next(CharSequence part, boolean last) {
            StringBuilder text = new StringBuilder(part.length() + 1);
            if (hasPending) {
                text.append(pending);
                hasPending = false;
            }
            text.append(part);
            if (!last && !text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
                pending = text.charAt(text.length() - 1);
                hasPending = true;
                text.setLength(text.length() - 1);
            }
            return text.toString();
        }
    }

    /** The upstream's frames, written to the browser one part at a time. */
    static final class UpstreamLeg implements WebSocket.Listener {

        private final CompletableFuture<Session> browser = new CompletableFuture<>();
        private final TextParts text = new TextParts();

        @Override
        public void onOpen(WebSocket webSocket) {
            // No request(1) yet: nothing is read from the upstream until the browser's leg is open.
        }

        void opened(WebSocket webSocket, Session session) {
            browser.complete(session);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            Session session = browser.join();
            try {
                session.getBasicRemote().sendText(text.next(data, last), last);
                webSocket.request(1);
            } catch (IOException | RuntimeException e) {
                webSocket.abort();
                closeQuietly(session, CloseReason.CloseCodes.GOING_AWAY, "");
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            Session session = browser.join();
            try {
                session.getBasicRemote().sendBinary(data, last);
                webSocket.request(1);
            } catch (IOException | RuntimeException e) {
                webSocket.abort();
                closeQuietly(session, CloseReason.CloseCodes.GOING_AWAY, "");
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            browser.thenAccept(session ->
                    closeQuietly(session, CloseReason.CloseCodes.getCloseCode(sendable(statusCode, false)), reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            browser.thenAccept(session -> closeQuietly(session, CloseReason.CloseCodes.UNEXPECTED_CONDITION, ""));
        }

        private static void closeQuietly(Session session, CloseReason.CloseCode code, String reason) {
            if (!session.isOpen()) {
                return;
            }
            try {
                // A close reason is at most 123 bytes of UTF-8.
                String shortReason = reason == null || reason.length() > 30 ? "" : reason;
                session.close(new CloseReason(code, shortReason));
            } catch (IOException | RuntimeException alreadyGone) {
                // The browser has gone; nothing left to tell it.
            }
        }
    }

    /** The browser's frames, each part written to the upstream before the next is read. */
    static final class BrowserLeg extends Endpoint {

        private final WebSocket upstream;
        private final UpstreamLeg upstreamLeg;
        private final RelaySettings settings;
        private final TextParts text = new TextParts();
        private final Runnable onFrame;

        BrowserLeg(WebSocket upstream, UpstreamLeg upstreamLeg, RelaySettings settings, Runnable onFrame) {
            this.upstream = upstream;
            this.upstreamLeg = upstreamLeg;
            this.settings = settings;
            this.onFrame = onFrame;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(0);
            // Bounds the wait for a browser that stops reading (Tomcat's property; other containers ignore it).
            session.getUserProperties()
                    .put(
                            "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT",
                            settings.frameTimeout().toMillis());
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
                onFrame.run();
                forward(session, upstream.sendText(text.next(part, last), last));
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> {
                onFrame.run();
                forward(session, upstream.sendBinary(part, last));
            });
            upstreamLeg.opened(upstream, session);
        }

        private void forward(Session session, CompletableFuture<WebSocket> sent) {
            try {
                sent.get(settings.frameTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                upstream.abort();
                UpstreamLeg.closeQuietly(session, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                upstream.abort();
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            if (upstream.isOutputClosed()) {
                return;
            }
            String reason = closeReason.getReasonPhrase();
            upstream.sendClose(sendable(closeReason.getCloseCode().getCode(), true), reason == null ? "" : reason)
                    .orTimeout(settings.frameTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            upstream.abort();
                        }
                    });
        }

        @Override
        public void onError(Session session, Throwable error) {
            upstream.abort();
        }
    }
}
