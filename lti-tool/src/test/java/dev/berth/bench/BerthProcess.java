package dev.berth.bench;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Berth as a child process: started with a command line, watched until its readiness probe says UP, its
 * memory sampled from {@code /proc} while it runs, and stopped (with the PostgreSQL it started) at the end.
 */
final class BerthProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final long SAMPLE_MS = 200;

    private final Process process;
    private final long startedNanos;
    private final String baseUrl;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rss-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong peakRssKib = new AtomicLong();
    private final AtomicLong peakPostgresPssKib = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile List<ProcessHandle> postgres = List.of();

    private final Path postmasterPid;

    private BerthProcess(Process process, long startedNanos, String baseUrl, Path postmasterPid) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.baseUrl = baseUrl;
        this.postmasterPid = postmasterPid;
    }

    /**
     * Starts Berth. {@code postgresData} is where its embedded PostgreSQL keeps its data: pg_ctl detaches the
     * postmaster from Berth, so it is found through its {@code postmaster.pid} file, not as Berth's child.
     */
    static BerthProcess start(List<String> command, Path log, String baseUrl, Path postgresData) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        long started = System.nanoTime();
        BerthProcess berth =
                new BerthProcess(builder.start(), started, baseUrl, postgresData.resolve("postmaster.pid"));
        berth.sampler.scheduleAtFixedRate(berth::sample, 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
        return berth;
    }

    long pid() {
        return process.pid();
    }

    /** Seconds from process start until {@code /actuator/health/readiness} answered UP. */
    double awaitReady(HttpClient client) throws IOException, InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = startedNanos + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Berth exited with status " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<String> response = client.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        throw new IOException("Berth was not ready within " + READY_TIMEOUT.toSeconds() + " s");
    }

    private void sample() {
        try {
            status(process.pid(), "VmRSS").ifPresent(rss -> peakRssKib.accumulateAndGet(rss, Math::max));
            if (samples.getAndIncrement() % 5 == 0) {
                postgres = postgresProcesses();
                long pss = 0;
                for (ProcessHandle child : postgres) {
                    pss += pss(child.pid());
                }
                peakPostgresPssKib.accumulateAndGet(pss, Math::max);
            }
        } catch (RuntimeException e) {
            // A process that ended between listing and reading; the next sample sees the new state.
        }
    }

    double peakRssMib() {
        return peakRssKib.get() / 1024.0;
    }

    double highWaterMarkMib() {
        return status(process.pid(), "VmHWM").orElse(0L) / 1024.0;
    }

    double peakPostgresPssMib() {
        return peakPostgresPssKib.get() / 1024.0;
    }

    /** CPU seconds used so far by the Berth JVM. */
    double jvmCpuSeconds() {
        return ProcStat.cpuSeconds(process.pid());
    }

    /** CPU seconds used so far by the PostgreSQL processes Berth started. */
    double postgresCpuSeconds() {
        double total = 0;
        for (ProcessHandle child : postgresProcesses()) {
            total += ProcStat.cpuSeconds(child.pid());
        }
        return total;
    }

    /** The postmaster and its backends, or nothing while PostgreSQL is not running. */
    List<ProcessHandle> postgresProcesses() {
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            long pid =
                    Long.parseLong(Files.readAllLines(postmasterPid).getFirst().strip());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                processes.add(postmaster);
                postmaster.descendants().forEach(processes::add);
            });
        } catch (IOException | RuntimeException e) {
            // Not started yet, or stopped.
        }
        return processes;
    }

    static Optional<Long> status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Optional.of(Long.parseLong(
                            line.substring(field.length() + 1).replace("kB", "").strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Gone or unreadable.
        }
        return Optional.empty();
    }

    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.substring(4).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Gone or unreadable.
        }
        return 0;
    }

    /** Stops Berth (SIGTERM, so it stops its PostgreSQL), then anything of it still running, by process id. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        sampler.shutdownNow();
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        List<ProcessHandle> database = postgresProcesses();
        children.addAll(database.isEmpty() ? postgres : database.subList(0, 1));
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
            }
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        }
    }
}
