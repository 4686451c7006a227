package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/** Gives each test context its own free port, public URL and data folder before anything binds them. */
public class TestBerth implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int port = freePort();
        Path dataDir = Path.of("target", "test-data", UUID.randomUUID().toString());
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "berth-test",
                        Map.of(
                                "server.port",
                                port,
                                "berth.public-url",
                                "http://localhost:" + port,
                                "berth.data-dir",
                                dataDir.toString())));
        // Workspaces outlive Berth by design (a restart adopts them); a test context must not leave them behind:
        // they are stopped through the backend, then anything still running under the data folder is killed.
        context.addApplicationListener(new StopWorkspacesOnClose(context));
        Path workspaces = dataDir.toAbsolutePath().resolve("workspaces");
        context.addApplicationListener(new KillWorkspaceProcesses(workspaces));
    }

    /** A class, not a lambda: Spring cannot read a lambda's event type and would call it for every event. */
    private record KillWorkspaceProcesses(Path workspaces) implements ApplicationListener<ContextClosedEvent> {
        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            LocalWorkspaceProcesses.killAll(workspaces);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
