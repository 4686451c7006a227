package dev.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Berth as a separate JVM, the way an operator runs it ({@code BerthApplication}, the test classpath), so a test can
 * kill it with SIGKILL and start it again on the same data folder. Output goes to a log file next to the data.
 */
public final class BerthJvm implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final Path log;
    private final String baseUrl;

    private BerthJvm(Process process, Path log, String baseUrl) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts Berth with these {@code --name=value} arguments besides the port, public URL, data folder and admin
     * token, and waits until its readiness probe says UP.
     */
    public static BerthJvm start(int port, Path dataDir, int postgresPort, Path log, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseGet(() -> Path.of(
                        System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        command.add("dev.berth.BerthApplication");
        String baseUrl = "http://localhost:" + port;
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--berth.public-url=" + baseUrl);
        command.add("--berth.data-dir=" + dataDir.toAbsolutePath());
        command.add("--berth.embedded-port=" + postgresPort);
        command.add("--berth.outbound.allow-private-addresses=true");
        command.add("--berth.admin.api-tokens=" + TestBerth.ADMIN_TOKEN);
        command.add("--berth.admin.password=" + TestBerth.ADMIN_PASSWORD);
        command.add("--sandbox.port=0");
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BerthJvm berth = new BerthJvm(process, log, baseUrl);
        berth.awaitReady();
        return berth;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is closed; what Berth started keeps running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Berth " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** The postmaster of the embedded PostgreSQL in {@code dataDir}, while one runs. */
    public static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            long pid = Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                            .getFirst()
                            .strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Berth exited with status " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                HttpResponse<String> response = client.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Berth was not ready within " + READY_TIMEOUT + "; see " + log);
    }

    /** A graceful stop (SIGTERM: Berth closes its PostgreSQL), then SIGKILL if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
