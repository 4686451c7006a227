package dev.berth.terminal;

import static org.assertj.core.api.Assertions.fail;

import dev.berth.testing.TestBerth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real terminal server as a child process, started exactly as the local backend starts it: the command
 * from {@link TerminalCommand#argv()}, PORT, BASE_PATH and HOME in its environment, plus a canary variable
 * that its shells must never see.
 */
final class RunningTerminal implements AutoCloseable {

    static final String CANARY = "BERTH_TERMINAL_CANARY";
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);

    final Process process;
    final int port;
    final String basePath;
    final Path home;
    final Path log;
    final String canaryValue = "canary-" + UUID.randomUUID();
    final Duration startup;

    private RunningTerminal(Path directory) throws IOException, InterruptedException {
        this.port = TestBerth.freePort();
        this.basePath = "/ws/" + UUID.randomUUID().toString().replace("-", "") + "/";
        this.home = Files.createDirectories(directory.resolve("home"));
        this.log = directory.resolve("terminal.log");
        List<String> argv = TerminalCommand.argv();
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("BASE_PATH", basePath);
        builder.environment().put("HOME", home.toString());
        builder.environment().put(CANARY, canaryValue);
        long spawned = System.nanoTime();
        this.process = builder.start();
        awaitHealthy();
        this.startup = Duration.ofNanos(System.nanoTime() - spawned);
    }

    static RunningTerminal start(Path directory) {
        try {
            return new RunningTerminal(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    URI pty() {
        return URI.create("ws://127.0.0.1:" + port + basePath + "pty?cols=100&rows=30");
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create(url(path)))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest health = HttpRequest.newBuilder(URI.create(url(basePath + "healthz")))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("The terminal server exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    if (client.send(health, HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                process.waitFor(10, TimeUnit.MILLISECONDS);
            }
        }
        process.destroyForcibly();
        fail("The terminal server did not answer " + basePath + "healthz within " + STARTUP_LIMIT + ":\n" + log());
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** SIGTERM, as the local backend stops a workspace; waits for the process to exit. */
    boolean terminate(Duration limit) throws InterruptedException {
        process.destroy();
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            if (!terminate(Duration.ofSeconds(10))) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
