package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The launch benchmark (docs/performance.md): the whole LTI 1.3 flow — login initiation, authentication
 * response, launch post — for distinct users at a fixed concurrency against a Berth child process on the
 * embedded database. This process serves the LMS's JWKS; a {@link LaunchDriver} (a Node.js child process, or
 * worker threads here) plays the rest of the LMS and signs every id_token. Prints launches/s, latency
 * percentiles, errors by kind, Berth's peak RSS and time to ready, and PASS/MISS per target. Exits non-zero
 * only when the harness itself fails, not when a target is missed.
 */
public final class LaunchBenchmark {

    static final double TARGET_LAUNCHES_PER_SECOND = 500;
    static final double TARGET_P99_MS = 100;
    static final double TARGET_RSS_MIB = 512;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

    private final BenchOptions options;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String driverName;

    private LaunchBenchmark(BenchOptions options, String driverName) {
        this.options = options;
        this.driverName = driverName;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("workspaces")) {
            try {
                WorkspaceBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
                System.exit(0);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.exit(2);
            } catch (Exception e) {
                System.err.println("bench workspaces: the harness failed: " + e);
                e.printStackTrace();
                System.exit(1);
            }
            return;
        }
        BenchOptions options;
        String driverName;
        try {
            options = BenchOptions.parse(args);
            driverName = chooseDriver(options.driver());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            new LaunchBenchmark(options, driverName).run();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("bench: the harness failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The driver asked for, or by default node when a Node.js 18 or newer is on PATH, else java. */
    private static String chooseDriver(String asked) {
        if (asked != null && asked.equals("java")) {
            return asked;
        }
        if (NodeLaunchDriver.nodeVersion().isPresent()) {
            return "node";
        }
        if (asked != null) {
            throw new IllegalArgumentException("--driver=node needs Node.js 18 or newer as `node` on PATH");
        }
        System.out.println("bench: no Node.js 18 or newer on PATH; the Java driver generates the load"
                + " (it takes more of the machine's CPU: docs/performance.md, \"Load driver\")");
        return "java";
    }

    private void run() throws Exception {
        Path out = Path.of("target", "bench").toAbsolutePath();
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path dataDir = Files.createTempDirectory(out, "data-");
        int port = freePort();
        int postgresPort = freePort();
        String baseUrl = "http://localhost:" + port;
        String adminToken = random();
        double loadBefore = loadAverage();
        Machine machine = Machine.describe();
        System.out.printf(
                Locale.ROOT,
                "bench: %s; load average %.2f; starting Berth on %s (data in %s)%n",
                machine.summary(),
                loadBefore,
                baseUrl,
                dataDir);

        try (BenchPlatform platform = new BenchPlatform()) {
            List<String> command = berthCommand(port, postgresPort, baseUrl, adminToken, dataDir, platform);
            Path log = out.resolve("berth-" + stamp + ".log");
            LaunchDriver driver = driver(platform, baseUrl, out, stamp);
            Result result;
            try (BerthProcess berth = BerthProcess.start(command, log, baseUrl, dataDir.resolve("postgres"))) {
                double ready = berth.awaitReady(client);
                System.out.printf(Locale.ROOT, "bench: Berth (pid %d) ready after %.2f s%n", berth.pid(), ready);
                if (options.launcher().equals("jar")) {
                    registerThroughAdminApi(baseUrl, adminToken, platform);
                }
                Path jfr = options.jfr() == null ? null : out.resolve("berth-" + stamp + ".jfr");
                Measured measured = measure(driver, berth, postgresPort, jfr);
                result = new Result(
                        measured.launches(),
                        measured.before(),
                        measured.after(),
                        platform.jwksFetches(),
                        ready,
                        berth.peakRssMib(),
                        berth.highWaterMarkMib(),
                        berth.peakPostgresPssMib());
            } finally {
                if (!options.keepData()) {
                    deleteRecursively(dataDir);
                }
            }
            String report = report(result, driver, machine, loadBefore, command, log);
            System.out.println(report);
            Path file = out.resolve("result-" + stamp + ".md");
            Files.writeString(file, report);
            System.out.println("bench: report written to " + file + "; Berth's log: " + log);
        }
    }

    private List<String> berthCommand(
            int port, int postgresPort, String baseUrl, String adminToken, Path dataDir, BenchPlatform platform) {
        List<String> command = berthCommand(
                options.berthJvmArgs(),
                options.launcher(),
                options.jar(),
                port,
                postgresPort,
                baseUrl,
                adminToken,
                dataDir,
                platform);
        // The launch core alone (issue 3's benchmark): a learner's launch would otherwise also start a workspace
        // process per distinct user. The workspace benchmark measures launches with workspaces on.
        command.add("--berth.workspaces.enabled=false");
        return command;
    }

    /** The command line of a Berth child process for a benchmark; callers may append options. */
    static List<String> berthCommand(
            List<String> jvmArgs,
            String launcher,
            String jar,
            int port,
            int postgresPort,
            String baseUrl,
            String adminToken,
            Path dataDir,
            BenchPlatform platform) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        if (launcher.equals("jar")) {
            command.add("-jar");
            command.add(Path.of(jar).toAbsolutePath().toString());
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(BenchBerth.class.getName());
            command.add("--bench.platform.issuer=" + BenchPlatform.ISSUER);
            command.add("--bench.platform.client-id=" + BenchPlatform.CLIENT_ID);
            command.add("--bench.platform.deployment-id=" + BenchPlatform.DEPLOYMENT_ID);
            command.add("--bench.platform.auth-url=" + platform.authUrl());
            command.add("--bench.platform.token-url=" + platform.tokenUrl());
            command.add("--bench.platform.jwks-url=" + platform.jwksUrl());
        }
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--berth.public-url=" + baseUrl);
        command.add("--berth.data-dir=" + dataDir);
        command.add("--berth.embedded-port=" + postgresPort);
        command.add("--berth.outbound.allow-private-addresses=true");
        command.add("--berth.admin.api-tokens=" + adminToken);
        command.add("--berth.admin.password=" + random());
        return command;
    }

    /** The admin API's contract: {@code POST /api/admin/platforms} with a PlatformDraft as JSON. */
    private void registerThroughAdminApi(String baseUrl, String token, BenchPlatform platform)
            throws IOException, InterruptedException {
        String body = """
                {"name": "Benchmark platform", "issuer": "%s", "clientId": "%s", "product": "canvas",
                 "authUrl": "%s", "tokenUrl": "%s", "jwksUrl": "%s", "frameOrigins": [],
                 "deploymentIds": ["%s"], "enabled": true}""".formatted(
                        BenchPlatform.ISSUER,
                        BenchPlatform.CLIENT_ID,
                        platform.authUrl(),
                        platform.tokenUrl(),
                        platform.jwksUrl(),
                        BenchPlatform.DEPLOYMENT_ID);
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/platforms"))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            throw new IOException("POST /api/admin/platforms answered 404: this build has no admin API yet."
                    + " Use --launcher=classpath, which registers the platform at start.");
        }
        if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
            throw new IOException(
                    "POST /api/admin/platforms answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
    }

    private LaunchDriver driver(BenchPlatform platform, String baseUrl, Path out, String stamp) {
        String target = baseUrl + "/lti/launch";
        return switch (driverName) {
            case "node" -> new NodeLaunchDriver(options, platform, baseUrl, target, out, stamp);
            default -> new JavaLaunchDriver(options, client, platform, baseUrl, target);
        };
    }

    private record Measured(LaunchDriver.Launches launches, Snapshot before, Snapshot after) {}

    private Measured measure(LaunchDriver driver, BerthProcess berth, int postgresPort, Path jfr) throws Exception {
        MeasuredWindow window = new MeasuredWindow(driver, berth, postgresPort, jfr);
        LaunchDriver.Launches launches = driver.run(window);
        if (window.before == null || window.after == null) {
            throw new IOException("the " + driverName + " driver ended before the measured window closed");
        }
        return new Measured(launches, window.before, window.after);
    }

    /** Progress lines, and what Berth, its database and the load generator had done when the window opened and closed. */
    private final class MeasuredWindow implements LaunchDriver.Window {

        private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(4_500);

        private final LaunchDriver driver;
        private final BerthProcess berth;
        private final int postgresPort;
        private final Path jfr;
        private final long start = System.nanoTime();
        private long lastAt = start;
        private long lastCount;
        private long count;
        volatile Snapshot before;
        volatile Snapshot after;

        MeasuredWindow(LaunchDriver driver, BerthProcess berth, int postgresPort, Path jfr) {
            this.driver = driver;
            this.berth = berth;
            this.postgresPort = postgresPort;
            this.jfr = jfr;
        }

        @Override
        public void progress(long completed, long errors) {
            long now = System.nanoTime();
            count = completed;
            if (now - lastAt >= PROGRESS_EVERY_NANOS) {
                System.out.printf(
                        Locale.ROOT,
                        "bench: %5.1f s %-8s %7.1f launches/s, %d errors so far%n",
                        (now - start) / 1e9,
                        before == null ? "warm-up" : "measured",
                        (completed - lastCount) / ((now - lastAt) / 1e9),
                        errors);
                lastCount = completed;
                lastAt = now;
            }
        }

        @Override
        public void open() {
            before = Snapshot.take(berth, postgresPort, driver.generatorCpuSeconds());
            lastAt = System.nanoTime();
            lastCount = count;
            if (jfr != null) {
                startFlightRecording(berth, jfr);
            }
        }

        @Override
        public void close() {
            after = Snapshot.take(berth, postgresPort, driver.generatorCpuSeconds());
        }
    }

    private void startFlightRecording(BerthProcess berth, Path file) {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(berth.pid()),
                            "JFR.start",
                            "name=bench",
                            "settings=" + options.jfr(),
                            "duration=" + options.duration().toSeconds() + "s",
                            "filename=" + file)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!jcmd.waitFor(20, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("jcmd JFR.start failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        System.out.println("bench: flight recording of the measured window goes to " + file);
    }

    /** What Berth and its database had done at one moment. */
    record Snapshot(
            long nanos,
            double jvmCpu,
            double postgresCpu,
            double generatorCpu,
            ProcStat.Machine machine,
            Map<String, Long> database) {

        static Snapshot take(BerthProcess berth, int postgresPort, double generatorCpu) {
            return new Snapshot(
                    System.nanoTime(),
                    berth.jvmCpuSeconds(),
                    berth.postgresCpuSeconds(),
                    generatorCpu,
                    ProcStat.Machine.now(),
                    databaseCounters(postgresPort));
        }
    }

    /** PostgreSQL's own counters: transactions, rows written, and row counts of the tables a launch fills. */
    static Map<String, Long> databaseCounters(int port) {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated,"
                    + " tup_deleted, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = 'postgres'")) {
                if (rs.next()) {
                    for (String column : List.of(
                            "xact_commit",
                            "xact_rollback",
                            "tup_inserted",
                            "tup_updated",
                            "tup_deleted",
                            "tup_returned",
                            "tup_fetched")) {
                        counters.put(column, rs.getLong(column));
                    }
                }
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_user_tables")) {
                while (rs.next()) {
                    counters.put("writes:" + rs.getString("relname"), rs.getLong("writes"));
                }
            }
            for (String table : List.of("person", "course", "assignment", "membership", "spring_session")) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counters.put("rows:" + table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            counters.put("unavailable", 1L);
        }
        return counters;
    }

    /** What a run measured: the driver's launches, the window's snapshots, and Berth's process figures. */
    record Result(
            LaunchDriver.Launches launches,
            Snapshot before,
            Snapshot after,
            long jwksFetches,
            double readySeconds,
            double peakRssMib,
            double highWaterMarkMib,
            double postgresPssMib) {

        double seconds() {
            return (after.nanos() - before.nanos()) / 1e9;
        }

        long errorCount() {
            return launches.errors().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        double launchesPerSecond() {
            return launches.total().getTotalCount() / seconds();
        }
    }

    private String report(
            Result r, LaunchDriver driver, Machine machine, double loadBefore, List<String> command, Path log) {
        StringBuilder out = new StringBuilder();
        String nl = System.lineSeparator();
        double rss = Math.max(r.peakRssMib(), r.highWaterMarkMib());
        out.append("## Launch benchmark, ")
                .append(DateTimeFormatter.ISO_INSTANT.format(
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(nl)
                .append(nl);
        out.append("- Machine: ").append(machine.summary()).append(nl);
        out.append(String.format(Locale.ROOT, "- Load average before the run: %.2f (1 min)%n", loadBefore));
        out.append("- Java: ")
                .append(System.getProperty("java.vm.vendor"))
                .append(' ')
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append(nl);
        out.append("- Berth: ")
                .append(options.launcher().equals("jar") ? "fat jar" : "BenchBerth on the test classpath")
                .append(", JVM flags: ")
                .append(
                        options.berthJvmArgs().isEmpty()
                                ? "none (JVM defaults)"
                                : String.join(" ", options.berthJvmArgs()))
                .append(", embedded PostgreSQL in a fresh data folder")
                .append(nl);
        out.append(String.format(
                Locale.ROOT,
                "- Load: %s; %d workers, warm-up %.0f s, measured %.1f s; a new user per launch over %d courses x %d"
                        + " resource links%n",
                driver.description(),
                options.concurrency(),
                options.warmup().toMillis() / 1000.0,
                r.seconds(),
                options.courses(),
                options.linksPerCourse()));
        out.append(nl);
        out.append("| figure | value | target | |").append(nl);
        out.append("|---|---:|---|---|").append(nl);
        row(
                out,
                "launches/s",
                fmt(r.launchesPerSecond(), 1),
                ">= 500",
                r.launchesPerSecond() >= TARGET_LAUNCHES_PER_SECOND);
        row(out, "launches measured", Long.toString(r.launches().total().getTotalCount()), "", null);
        row(out, "p50 (ms)", ms(r.launches().total(), 50), "", null);
        row(out, "p90 (ms)", ms(r.launches().total(), 90), "", null);
        double p99 = r.launches().total().getValueAtPercentile(99) / 1000.0;
        row(
                out,
                "p99 (ms)",
                ms(r.launches().total(), 99),
                "<= 100",
                r.launches().total().getTotalCount() > 0 && p99 <= TARGET_P99_MS);
        row(out, "max (ms)", fmt(r.launches().total().getMaxValue() / 1000.0, 1), "", null);
        row(out, "errors", Long.toString(r.errorCount()), "0", r.errorCount() == 0);
        row(out, "Berth peak RSS (MiB)", fmt(rss, 0), "<= 512", rss > 0 && rss <= TARGET_RSS_MIB);
        row(out, "time to ready (s)", fmt(r.readySeconds(), 2), "", null);
        out.append(nl);
        out.append("Latency of each step (ms): p50 / p90 / p99 / max")
                .append(nl)
                .append(nl);
        out.append("| step | p50 | p90 | p99 | max |").append(nl);
        out.append("|---|---:|---:|---:|---:|").append(nl);
        step(out, "login (GET /lti/login, 302)", r.launches().login());
        step(out, "sign the id_token (load generator)", r.launches().sign());
        step(out, "launch (POST /lti/launch, 303)", r.launches().launch());
        step(out, "whole launch", r.launches().total());
        out.append(nl);
        double window = r.seconds();
        ProcStat.Machine machineCpu = r.after().machine().minus(r.before().machine());
        double jvm = r.after().jvmCpu() - r.before().jvmCpu();
        double postgres = r.after().postgresCpu() - r.before().postgresCpu();
        double generator = r.after().generatorCpu() - r.before().generatorCpu();
        double others = Math.max(0, machineCpu.busy() - jvm - postgres - generator);
        double capacity = machineCpu.total() > 0 ? machineCpu.total() : window * machine.cpus();
        out.append(String.format(
                        Locale.ROOT,
                        "CPU in the measured window (%.0f core-seconds available on %d cores), shared by all:%n%n",
                        capacity,
                        machine.cpus()))
                .append("| process | CPU s | share of the machine | per launch (ms) |")
                .append(nl)
                .append("|---|---:|---:|---:|")
                .append(nl);
        long launches = Math.max(1, r.launches().total().getTotalCount());
        cpu(out, "Berth JVM", jvm, capacity, launches);
        cpu(out, "Berth's embedded PostgreSQL", postgres, capacity, launches);
        cpu(out, driver.generatorLabel(), generator, capacity, launches);
        cpu(out, "everything else on the machine", others, capacity, launches);
        cpu(out, "idle", Math.max(0, capacity - machineCpu.busy()), capacity, launches);
        out.append(nl);
        Map<String, Long> db0 = r.before().database();
        Map<String, Long> db1 = r.after().database();
        long dbLaunches = Math.max(1, r.launches().started());
        if (!db1.containsKey("unavailable") && !db0.containsKey("unavailable")) {
            out.append(String.format(
                    Locale.ROOT,
                    "Database per launch (%d launches started in the window): %.2f commits, %.2f rows inserted, %.2f"
                            + " updated, %.2f deleted; rows written by table: %s.%n",
                    r.launches().started(),
                    delta(db0, db1, "xact_commit") / (double) dbLaunches,
                    delta(db0, db1, "tup_inserted") / (double) dbLaunches,
                    delta(db0, db1, "tup_updated") / (double) dbLaunches,
                    delta(db0, db1, "tup_deleted") / (double) dbLaunches,
                    tableWrites(db0, db1, dbLaunches)));
            out.append(String.format(
                    Locale.ROOT,
                    "Rows at the end: %d people, %d courses, %d assignments, %d memberships, %d sessions.%n",
                    db1.getOrDefault("rows:person", 0L),
                    db1.getOrDefault("rows:course", 0L),
                    db1.getOrDefault("rows:assignment", 0L),
                    db1.getOrDefault("rows:membership", 0L),
                    db1.getOrDefault("rows:spring_session", 0L)));
        }
        out.append(String.format(
                Locale.ROOT,
                "Peak RSS: Berth JVM %.0f MiB sampled every 200 ms, VmHWM %.0f MiB; PostgreSQL processes together"
                        + " (PSS) %.0f MiB. JWKS fetches: %d.%n",
                r.peakRssMib(),
                r.highWaterMarkMib(),
                r.postgresPssMib(),
                r.jwksFetches()));
        if (!r.launches().errors().isEmpty() || !r.launches().warmupErrors().isEmpty()) {
            out.append(nl)
                    .append("Errors by kind (measured): ")
                    .append(r.launches().errors())
                    .append(nl);
            out.append("Errors by kind (warm-up): ")
                    .append(r.launches().warmupErrors())
                    .append(nl);
            for (String sample : r.launches().errorSamples()) {
                out.append("  e.g. ").append(sample).append(nl);
            }
        }
        out.append(nl)
                .append("Berth's command line: ")
                .append(abbreviateCommand(command))
                .append(nl);
        out.append("Berth's log: ").append(log).append(nl);
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value, String target, Boolean pass) {
        out.append("| ")
                .append(name)
                .append(" | ")
                .append(value)
                .append(" | ")
                .append(target)
                .append(" | ")
                .append(pass == null ? "" : pass ? "PASS" : "MISS")
                .append(" |")
                .append(System.lineSeparator());
    }

    private static void step(StringBuilder out, String name, Histogram histogram) {
        out.append("| ")
                .append(name)
                .append(" | ")
                .append(ms(histogram, 50))
                .append(" | ")
                .append(ms(histogram, 90))
                .append(" | ")
                .append(ms(histogram, 99))
                .append(" | ")
                .append(fmt(histogram.getMaxValue() / 1000.0, 1))
                .append(" |")
                .append(System.lineSeparator());
    }

    private static void cpu(StringBuilder out, String name, double seconds, double capacity, long launches) {
        out.append(String.format(
                Locale.ROOT,
                "| %s | %.1f | %.0f %% | %.2f |%n",
                name,
                seconds,
                capacity > 0 ? 100 * seconds / capacity : 0,
                1000 * seconds / launches));
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    private static String tableWrites(Map<String, Long> before, Map<String, Long> after, long launches) {
        Map<String, Double> perLaunch = new TreeMap<>();
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            if (entry.getKey().startsWith("writes:")) {
                long writes = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
                if (writes > 0) {
                    perLaunch.put(entry.getKey().substring(7), writes / (double) launches);
                }
            }
        }
        StringBuilder text = new StringBuilder();
        perLaunch.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> text.append(text.isEmpty() ? "" : ", ")
                        .append(e.getKey())
                        .append(' ')
                        .append(fmt(e.getValue(), 2)));
        return text.toString();
    }

    private static String ms(Histogram histogram, double percentile) {
        return fmt(histogram.getValueAtPercentile(percentile) / 1000.0, 1);
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1000));
    }

    static Map<String, String> query(String url) {
        Map<String, String> result = new LinkedHashMap<>();
        int question = url.indexOf('?');
        if (question < 0) {
            return result;
        }
        for (String pair : url.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                result.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    static String form(Map<String, String> values) {
        StringBuilder form = new StringBuilder();
        values.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }

    static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    private static String abbreviateCommand(List<String> command) {
        List<String> shown = new ArrayList<>();
        for (String part : command) {
            if (part.contains("api-tokens=") || part.contains("password=")) {
                shown.add(part.substring(0, part.indexOf('=') + 1) + "(random)");
            } else if (part.length() > 200) {
                shown.add("(test classpath)");
            } else {
                shown.add(part);
            }
        }
        return String.join(" ", shown);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The machine the figures come from. */
    record Machine(int cpus, String cpuModel, double memoryGib, String os) {

        static Machine describe() {
            String model = "unknown CPU";
            double memory = 0;
            try {
                model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElse(model);
                memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                                .filter(line -> line.startsWith("MemTotal:"))
                                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                                .findFirst()
                                .orElse(0L)
                        / (1024.0 * 1024.0);
            } catch (IOException | RuntimeException e) {
                // Not Linux: the figures still print, without these.
            }
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    model,
                    memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version"));
        }

        String summary() {
            return String.format(Locale.ROOT, "%d CPUs (%s), %.1f GiB RAM, %s", cpus, cpuModel, memoryGib, os);
        }
    }
}
