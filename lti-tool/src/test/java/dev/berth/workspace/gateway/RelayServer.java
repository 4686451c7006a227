package dev.berth.workspace.gateway;

import jakarta.servlet.http.HttpServlet;
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
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An embedded Tomcat that mounts the relay the way the gateway will, for tests only: {@code /u/{port}/rest} is
 * relayed to {@code 127.0.0.1:{port}/rest}, as HTTP or, on an upgrade request, as a WebSocket; port 1 stands for
 * a workspace the resolver does not know (404). The same server offers a WebSocket echo upstream at
 * {@code /echo} (subprotocols {@value #SUBPROTOCOL} and {@code v1.test}; "close-me" closes with 4001).
 */
final class RelayServer implements AutoCloseable {

    static final String SUBPROTOCOL = "v2.test";

    /** Frame parts browsers have sent through any relay server (the gateway counts them as activity). */
    static final java.util.concurrent.atomic.AtomicLong BROWSER_FRAMES = new java.util.concurrent.atomic.AtomicLong();

    private final Tomcat tomcat = new Tomcat();
    final WorkspaceRelay relay;
    final int port;

    RelayServer(WorkspaceRelay relay) throws IOException, LifecycleException {
        this.relay = relay;
        Path base = Files.createTempDirectory("relay-tomcat");
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", base.toString());
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer(
                (classes, servletContext) -> {
                    try {
                        ((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName()))
                                .addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/echo")
                                        .subprotocols(List.of(SUBPROTOCOL, "v1.test"))
                                        .build());
                    } catch (jakarta.websocket.DeploymentException e) {
                        throw new IllegalStateException(e);
                    }
                },
                null);
        Tomcat.addServlet(context, "relay", new RelayServlet(relay, RelayServer::resolve))
                .addMapping("/u/*");
        // Tomcat's WebSocket filter only sees requests that some servlet maps; this one maps the echo's path.
        Tomcat.addServlet(context, "none", new HttpServlet() {
                    private static final long serialVersionUID = 1L;
                })
                .addMapping("/");
        tomcat.start();
        this.port = tomcat.getConnector().getLocalPort();
    }

    /** The test's stand-in for the gateway's authorization and lookup: the upstream port is in the path. */
    static Optional<URI> resolve(HttpServletRequest request) {
        String rest = request.getRequestURI().substring("/u/".length());
        int slash = rest.indexOf('/');
        String port = slash < 0 ? rest : rest.substring(0, slash);
        if (port.equals("1") || !port.matches("\\d+")) {
            return Optional.empty();
        }
        return Optional.of(URI.create("http://127.0.0.1:" + port));
    }

    URI url(int upstreamPort, String path) {
        return URI.create("http://127.0.0.1:" + port + "/u/" + upstreamPort + path);
    }

    URI ws(int upstreamPort, String path) {
        return URI.create("ws://127.0.0.1:" + port + "/u/" + upstreamPort + path);
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    static final class RelayServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        private final transient WorkspaceRelay relay;
        private final transient Function<HttpServletRequest, Optional<URI>> resolver;

        RelayServlet(WorkspaceRelay relay, Function<HttpServletRequest, Optional<URI>> resolver) {
            this.relay = relay;
            this.resolver = resolver;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, jakarta.servlet.ServletException {
            Optional<URI> upstream = resolver.apply(request);
            if (upstream.isEmpty()) {
                response.sendError(404);
                return;
            }
            String rest = request.getRequestURI().substring("/u/".length());
            int slash = rest.indexOf('/');
            String path = slash < 0 ? "/" : rest.substring(slash);
            String pathAndQuery = request.getQueryString() == null ? path : path + "?" + request.getQueryString();
            if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                relay.webSocket(
                        request,
                        response,
                        URI.create(upstream.get().toString().replaceFirst("^http", "ws") + pathAndQuery),
                        BROWSER_FRAMES::incrementAndGet);
            } else {
                relay.http(request, response, upstream.get(), pathAndQuery);
            }
        }
    }

    /** Echoes every message whole; "close-me" closes with 4001. */
    public static final class Echo extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(4 * 1024 * 1024);
            session.setMaxBinaryMessageBufferSize(4 * 1024 * 1024);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    if (text.equals("close-me")) {
                        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "bye"));
                    } else {
                        session.getBasicRemote().sendText(text);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) bytes -> {
                try {
                    session.getBasicRemote().sendBinary(bytes);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
