package dev.berth.terminal;

import jakarta.servlet.ServletException;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The built-in terminal environment: a workspace process of its own, started by the local backend with
 * {@link TerminalCommand#argv}. Deliberately without Spring, so it answers its health check within about a
 * second of being spawned: a bare embedded Tomcat with one servlet and one WebSocket endpoint.
 *
 * <p>Reads {@code PORT} (required; bound on 127.0.0.1 only), {@code BASE_PATH} (the prefix the gateway keeps,
 * default {@code /}) and {@code HOME} (the workspace's home, the shells' working directory) from its
 * environment. Serves the terminal page at the base path, {@code healthz} below it, and the pty WebSocket at
 * {@code pty} below it. SIGTERM ends every shell before the process exits.
 */
public final class TerminalServer {

    private static final System.Logger LOG = System.getLogger(TerminalServer.class.getName());
    private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(3);

    private final Tomcat tomcat;
    private final Path workDirectory;
    private final Shells shells;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private TerminalServer(Tomcat tomcat, Path workDirectory, Shells shells) {
        this.tomcat = tomcat;
        this.workDirectory = workDirectory;
        this.shells = shells;
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Map<String, String> env = System.getenv();
        String port = env.get("PORT");
        if (port == null || !port.matches("\\d{1,5}")) {
            System.err.println("berth terminal: set PORT to the port to listen on (and BASE_PATH, HOME)");
            System.exit(2);
            return;
        }
        String basePath = basePath(env.getOrDefault("BASE_PATH", "/"));
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")))
                .toAbsolutePath()
                .normalize();
        Files.createDirectories(home);
        ShellEnvironment shell = ShellEnvironment.from(env, home, System.getProperty("user.name"));
        TerminalServer server = start(Integer.parseInt(port), basePath, shell);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "terminal-shutdown"));
        System.out.printf(
                "berth terminal: http://127.0.0.1:%s%s ready in %d ms (home %s, shell %s)%n",
                port, basePath, (System.nanoTime() - started) / 1_000_000, home, shell.shell());
        server.tomcat.getServer().await();
    }

    static TerminalServer start(int port, String basePath, ShellEnvironment shell)
            throws IOException, LifecycleException {
        Path workDirectory = Files.createTempDirectory("berth-terminal-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(workDirectory.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("minSpareThreads", "2");
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);

        Shells shells = new Shells();
        Context context = tomcat.addContext("", workDirectory.toString());
        Tomcat.addServlet(context, "terminal", new TerminalPages(basePath)).addMapping("/");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer(
                (classes, servletContext) -> {
                    ServerContainer container =
                            (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
                    PtyEndpoint endpoint = new PtyEndpoint(shell, shells);
                    try {
                        container.addEndpoint(ServerEndpointConfig.Builder.create(PtyEndpoint.class, basePath + "pty")
                                .configurator(new ServerEndpointConfig.Configurator() {
                                    @Override
                                    public <T> T getEndpointInstance(Class<T> type) {
                                        return type.cast(endpoint);
                                    }
                                })
                                .build());
                    } catch (DeploymentException e) {
                        throw new ServletException(e);
                    }
                },
                null);
        tomcat.start();
        return new TerminalServer(tomcat, workDirectory, shells);
    }

    /** Ends every shell, then the server. Runs on SIGTERM; safe to call twice. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        shells.terminateAll(SHUTDOWN_LIMIT);
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.log(System.Logger.Level.WARNING, "terminal server did not stop cleanly", e);
        }
        deleteQuietly(workDirectory);
    }

    static String basePath(String raw) {
        String path = raw.isBlank() ? "/" : raw.trim();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return path.endsWith("/") ? path : path + "/";
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not delete " + directory, e);
        }
    }
}
