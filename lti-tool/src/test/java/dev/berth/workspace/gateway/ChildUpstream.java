package dev.berth.workspace.gateway;

import static org.assertj.core.api.Assertions.fail;

import dev.berth.terminal.TerminalCommand;
import dev.berth.testing.TestBerth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real workspace server as a child process on a loopback port: the built-in terminal or Python's file server. */
final class ChildUpstream implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);

    final int port;
    final Process process;
    final Path log;

    private ChildUpstream(List<String> argv, Map<String, String> environment, Path directory, int port, String ready)
            throws IOException, InterruptedException {
        this.port = port;
        this.log = Files.createTempFile(directory, "upstream", ".log");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        this.process = builder.start();
        awaitReady(ready);
    }

    /** The built-in terminal, as the local backend starts it, serving under {@code basePath}. */
    static ChildUpstream terminal(Path directory, String basePath) throws Exception {
        int port = TestBerth.freePort();
        Path home = Files.createDirectories(directory.resolve("home"));
        return new ChildUpstream(
                TerminalCommand.argv(),
                Map.of("PORT", Integer.toString(port), "BASE_PATH", basePath, "HOME", home.toString()),
                directory,
                port,
                basePath + "healthz");
    }

    /**
     * Debian's Jupyter Notebook with the argv and environment the catalogue's {@code jupyter} row gives it
     * (V4__jupyter_command.sql), serving under {@code basePath}.
     */
    static ChildUpstream jupyter(Path directory, String basePath) throws Exception {
        int port = TestBerth.freePort();
        Path home = Files.createDirectories(directory.resolve("home"));
        String h = home.toString();
        List<String> argv = List.of(
                "jupyter-notebook",
                "--ip=127.0.0.1",
                "--port=" + port,
                "--no-browser",
                "--allow-root",
                "--port-retries=0",
                "--notebook-dir=" + h,
                "--NotebookApp.base_url=" + basePath,
                "--NotebookApp.token=",
                "--NotebookApp.password=",
                "--ServerApp.base_url=" + basePath,
                "--ServerApp.token=",
                "--ServerApp.password=");
        Map<String, String> environment = Map.of(
                "HOME", h,
                "JUPYTER_CONFIG_DIR", h + "/.jupyter",
                "JUPYTER_DATA_DIR", h + "/.local/share/jupyter",
                "JUPYTER_RUNTIME_DIR", h + "/.local/share/jupyter/runtime",
                "IPYTHONDIR", h + "/.ipython");
        try {
            return new ChildUpstream(argv, environment, directory, port, basePath + "api/status");
        } catch (IOException e) {
            return fail("This test needs Debian's Jupyter Notebook: apt-get install jupyter-notebook (" + e + ")");
        }
    }

    /** {@code python3 -m http.server} serving {@code directory}. */
    static ChildUpstream python(Path directory) throws Exception {
        int port = TestBerth.freePort();
        List<String> argv = List.of("python3", "-m", "http.server", "--bind", "127.0.0.1", Integer.toString(port));
        try {
            return new ChildUpstream(argv, Map.of(), directory, port, "/");
        } catch (IOException e) {
            return fail("These tests need python3 on the PATH (Debian: apt-get install python3): " + e);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private void awaitReady(String path) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build();
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("The upstream exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    if (client.send(probe, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        process.destroyForcibly();
        fail("The upstream did not answer " + path + " within " + STARTUP_LIMIT + ":\n" + log());
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
