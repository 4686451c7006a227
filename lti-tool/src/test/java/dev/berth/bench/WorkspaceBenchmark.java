package dev.berth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The workspace benchmark (docs/performance.md, {@code ./berth bench workspaces}): against a Berth child process
 * with the local backend, for the built-in terminal environment,
 *
 * <ol>
 *   <li><b>cold start</b>: a learner's first launch to their workspace RUNNING, per student, from the engine's own
 *       timeline (the first event of the workspace to its RUNNING state event) and as the student's page sees it
 *       (launch response to the status endpoint answering RUNNING);
 *   <li><b>warm launch to IDE page</b>: with every workspace RUNNING, the whole path a browser takes — login
 *       initiation, signed launch, the assignment page, {@code /workspaces/{id}/open} and its redirects into the
 *       workspace, until the IDE's page answers 200 — for several students at once;
 *   <li><b>gateway overhead</b>: the same page of a running workspace fetched through the gateway (with the
 *       viewer's entry cookie) and straight from the workspace's port, alternately.
 * </ol>
 *
 * <p>Hosts under {@code .localhost} (one origin per workspace) are reached on 127.0.0.1 with the Host header set, as
 * a browser does; the JVM therefore runs with {@code -Djdk.httpclient.allowRestrictedHeaders=host}. Cookies are kept
 * per host the way a browser treats {@code localhost} (Secure cookies work over http). Prints figures, asserts
 * nothing, and exits non-zero only when the harness itself fails. Warm launches and gateway requests start with
 * unmeasured rounds (the JIT compiles the paths first), like the launch benchmark's warm-up.
 */
final class WorkspaceBenchmark {

    static final double TARGET_WARM_P99_MS = 150;
    static final double TARGET_COLD_START_MS = 2000;
    static final double TARGET_GATEWAY_P50_ADDED_MS = 2;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern WORKSPACE_LINK = Pattern.compile("/workspaces/([0-9a-f-]{36})/");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final Pattern START_FORM = Pattern.compile("action=\"([^\"]*/workspace(?:\\?[^\"]*)?)\"");

    private final int students;
    private final int warmupLaunches;
    private final int warmLaunches;
    private final int concurrency;
    private final int gatewayRequests;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AtomicLong launches = new AtomicLong();

    private WorkspaceBenchmark(
            int students, int warmupLaunches, int warmLaunches, int concurrency, int gatewayRequests) {
        this.students = students;
        this.warmupLaunches = warmupLaunches;
        this.warmLaunches = warmLaunches;
        this.concurrency = concurrency;
        this.gatewayRequests = gatewayRequests;
    }

    static void main(String[] args) throws Exception {
        Map<String, Integer> options = new LinkedHashMap<>(Map.of(
                "--students", 10,
                "--warmup-launches", 2000,
                "--warm-launches", 1000,
                "--concurrency", 4,
                "--gateway-requests", 2000));
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            String[] pair = arg.split("=", 2);
            if (pair.length != 2 || !options.containsKey(pair[0])) {
                throw new IllegalArgumentException(
                        "./berth bench workspaces [--students=10] [--warmup-launches=2000] [--warm-launches=1000]"
                                + " [--concurrency=4] [--gateway-requests=2000]; unknown: " + arg);
            }
            options.put(pair[0], Integer.parseInt(pair[1]));
        }
        new WorkspaceBenchmark(
                        options.get("--students"),
                        options.get("--warmup-launches"),
                        options.get("--warm-launches"),
                        options.get("--concurrency"),
                        options.get("--gateway-requests"))
                .run();
    }

    private void run() throws Exception {
        Path out = Path.of("target", "bench").toAbsolutePath();
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path dataDir = Files.createTempDirectory(out, "workspaces-");
        int port = LaunchBenchmark.freePort();
        int postgresPort = LaunchBenchmark.freePort();
        String baseUrl = "http://localhost:" + port;
        System.out.printf(
                Locale.ROOT,
                "bench workspaces: %s; load average %.2f; Berth on %s (data in %s)%n",
                LaunchBenchmark.Machine.describe().summary(),
                LaunchBenchmark.loadAverage(),
                baseUrl,
                dataDir);
        try (BenchPlatform platform = new BenchPlatform()) {
            List<String> command = LaunchBenchmark.berthCommand(
                    List.of(),
                    "classpath",
                    null,
                    port,
                    postgresPort,
                    baseUrl,
                    LaunchBenchmark.random(),
                    dataDir,
                    platform);
            command.add("--berth.workspaces.enabled=true");
            Path log = out.resolve("berth-workspaces-" + stamp + ".log");
            StringBuilder report = new StringBuilder();
            try (BerthProcess berth = BerthProcess.start(command, log, baseUrl, dataDir.resolve("postgres"))) {
                double ready = berth.awaitReady(client);
                System.out.printf(Locale.ROOT, "bench workspaces: Berth ready after %.2f s%n", ready);
                try {
                    measure(platform, baseUrl, postgresPort, report);
                } finally {
                    stopWorkspaces(postgresPort);
                }
            } finally {
                LaunchBenchmark.deleteRecursively(dataDir);
            }
            System.out.println(report);
            Path file = out.resolve("workspaces-" + stamp + ".md");
            Files.writeString(file, report);
            System.out.println("bench workspaces: report written to " + file + "; Berth's log: " + log);
        }
    }

    private void measure(BenchPlatform platform, String baseUrl, int postgresPort, StringBuilder report)
            throws Exception {
        // 1. Cold starts, one student after another (each the only start in flight).
        List<Student> cohort = new ArrayList<>();
        List<Double> engineCold = new ArrayList<>();
        List<Double> pageCold = new ArrayList<>();
        for (int i = 0; i < students; i++) {
            Browser browser = new Browser(baseUrl);
            BenchPlatform.Launch where = new BenchPlatform.Launch(i, 0, 0);
            long t0 = System.nanoTime();
            String landing = browser.launch(platform, where);
            String page = browser.get(landing).body();
            Optional<UUID> id = workspaceId(page);
            if (id.isEmpty()) {
                page = browser.startFromPage(landing, page);
                id = workspaceId(page);
            }
            UUID workspace = id.orElseThrow(() -> new IOException("no workspace on the assignment page of " + landing));
            browser.awaitRunning(workspace, landing);
            pageCold.add(millis(System.nanoTime() - t0));
            engineCold.add(engineStartMillis(postgresPort, workspace));
            cohort.add(new Student(where, browser, workspace, landing));
            System.out.printf(
                    Locale.ROOT,
                    "bench workspaces: cold start %d: engine %.0f ms, page %.0f ms%n",
                    i + 1,
                    engineCold.getLast(),
                    pageCold.getLast());
        }

        // 2. Warm launches to the IDE page, several students at once.
        Histogram warm = histogram();
        Histogram launchOnly = histogram();
        Histogram enter = histogram();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        for (Student student : cohort) {
            student.browser.enter(student.workspace); // the first entry of each browser, not measured
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    for (long n = worker; n < warmupLaunches + warmLaunches; n += concurrency) {
                        boolean measured = n >= warmupLaunches;
                        Student student = cohort.get((int) (n % cohort.size()));
                        try {
                            Browser browser = new Browser(baseUrl);
                            long t0 = System.nanoTime();
                            String landing = browser.launch(platform, student.where);
                            HttpResponse<String> page = browser.get(landing);
                            if (page.statusCode() != 200
                                    || workspaceId(page.body()).isEmpty()) {
                                throw new IOException("assignment page: HTTP " + page.statusCode());
                            }
                            long t1 = System.nanoTime();
                            browser.enter(student.workspace);
                            long t2 = System.nanoTime();
                            if (measured) {
                                synchronized (warm) {
                                    warm.recordValue(micros(t2 - t0));
                                    launchOnly.recordValue(micros(t1 - t0));
                                    enter.recordValue(micros(t2 - t1));
                                }
                                launches.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.computeIfAbsent(
                                            e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicLong())
                                    .incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.MINUTES);
            }
        }

        // 3. Gateway against the workspace's own port, alternating, one request at a time.
        Student first = cohort.getFirst();
        Endpoint endpoint = endpoint(postgresPort, first.workspace);
        String gatewayUrl = first.browser.enter(first.workspace);
        Histogram viaGateway = histogram();
        Histogram direct = histogram();
        for (int i = 0; i < gatewayRequests + 1000; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> relayed = first.browser.get(gatewayUrl);
            long t1 = System.nanoTime();
            HttpResponse<String> straight = client.send(
                    HttpRequest.newBuilder(URI.create(
                                    endpoint.url() + URI.create(gatewayUrl).getRawPath()))
                            .timeout(REQUEST_TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long t2 = System.nanoTime();
            if (relayed.statusCode() != 200 || straight.statusCode() != 200) {
                throw new IOException(
                        "gateway comparison: HTTP " + relayed.statusCode() + " / " + straight.statusCode());
            }
            if (i >= 1000) { // the first 1,000 pairs warm both paths up
                viaGateway.recordValue(micros(t1 - t0));
                direct.recordValue(micros(t2 - t1));
            }
        }

        double coldEngineMedian = percentile(engineCold, 50);
        double warmP99 = warm.getValueAtPercentile(99) / 1000.0;
        double added = (viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1000.0;
        report.append("## Workspace benchmark (terminal environment, local backend)\n\n");
        report.append("| figure | value | target | |\n|---|---:|---|---|\n");
        row(
                report,
                "cold start to RUNNING, engine timeline, median (min–max) of " + students,
                "%.0f ms (%.0f–%.0f)"
                        .formatted(coldEngineMedian, percentile(engineCold, 0), percentile(engineCold, 100)),
                "≤ 2 s",
                coldEngineMedian <= TARGET_COLD_START_MS);
        row(
                report,
                "cold start as the page sees it (launch → status RUNNING), median (min–max)",
                "%.0f ms (%.0f–%.0f)"
                        .formatted(percentile(pageCold, 50), percentile(pageCold, 0), percentile(pageCold, 100)),
                "",
                null);
        row(
                report,
                "warm launch to IDE page, " + launches.get() + " launches at concurrency " + concurrency
                        + ", p50 / p99 / max",
                "%.1f / %.1f / %.1f ms"
                        .formatted(warm.getValueAtPercentile(50) / 1000.0, warmP99, warm.getMaxValue() / 1000.0),
                "p99 ≤ 150 ms",
                warmP99 <= TARGET_WARM_P99_MS);
        row(
                report,
                "… of which the LTI launch + assignment page, p50 / p99",
                "%.1f / %.1f ms"
                        .formatted(
                                launchOnly.getValueAtPercentile(50) / 1000.0,
                                launchOnly.getValueAtPercentile(99) / 1000.0),
                "",
                null);
        row(
                report,
                "… of which entering the workspace (open → token → IDE page 200), p50 / p99",
                "%.1f / %.1f ms"
                        .formatted(enter.getValueAtPercentile(50) / 1000.0, enter.getValueAtPercentile(99) / 1000.0),
                "",
                null);
        row(report, "warm launch errors", errors.isEmpty() ? "0" : errors.toString(), "0", errors.isEmpty());
        row(
                report,
                "IDE page through the gateway, " + gatewayRequests + " GETs, p50 / p99",
                "%.2f / %.2f ms"
                        .formatted(
                                viaGateway.getValueAtPercentile(50) / 1000.0,
                                viaGateway.getValueAtPercentile(99) / 1000.0),
                "",
                null);
        row(
                report,
                "same page straight from the workspace port, p50 / p99",
                "%.2f / %.2f ms"
                        .formatted(direct.getValueAtPercentile(50) / 1000.0, direct.getValueAtPercentile(99) / 1000.0),
                "",
                null);
        row(report, "gateway added at p50", "%.2f ms".formatted(added), "≤ 2 ms", added <= TARGET_GATEWAY_P50_ADDED_MS);
    }

    private static void row(StringBuilder report, String figure, String value, String target, Boolean pass) {
        report.append("| ")
                .append(figure)
                .append(" | ")
                .append(value)
                .append(" | ")
                .append(target)
                .append(" | ")
                .append(pass == null ? "" : pass ? "PASS" : "MISS")
                .append(" |\n");
    }

    private record Student(BenchPlatform.Launch where, Browser browser, UUID workspace, String landing) {}

    private record Endpoint(String url, long pid) {}

    /** Milliseconds from the workspace's first event to its RUNNING state event, as the engine recorded them. */
    private static double engineStartMillis(int postgresPort, UUID workspace) throws SQLException {
        try (Connection connection = connect(postgresPort);
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT extract(epoch FROM (min(at) FILTER (WHERE kind = 'state' AND state = 'RUNNING')"
                                + " - min(at))) * 1000 FROM workspace_event WHERE workspace_id = ?")) {
            statement.setObject(1, workspace);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    private static Endpoint endpoint(int postgresPort, UUID workspace) throws SQLException {
        try (Connection connection = connect(postgresPort);
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT endpoint, backend_refs->>'pid' FROM workspace WHERE id = ?")) {
            statement.setObject(1, workspace);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Endpoint(rs.getString(1), Long.parseLong(rs.getString(2)));
            }
        }
    }

    /** The local backend's processes outlive Berth on purpose (a restart adopts them); a benchmark must not. */
    private static void stopWorkspaces(int postgresPort) {
        try (Connection connection = connect(postgresPort);
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT backend_refs->>'pid' FROM workspace WHERE backend_refs->>'pid' IS NOT NULL");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ProcessHandle.of(Long.parseLong(rs.getString(1))).ifPresent(process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
            }
        } catch (SQLException | RuntimeException e) {
            System.err.println("bench workspaces: could not stop the workspaces' processes: " + e);
        }
    }

    private static Connection connect(int postgresPort) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", "postgres", "");
    }

    private static Optional<UUID> workspaceId(String page) {
        Matcher matcher = WORKSPACE_LINK.matcher(page);
        return matcher.find() ? Optional.of(UUID.fromString(matcher.group(1))) : Optional.empty();
    }

    /**
     * One browser: cookies per host (Secure ones included, as browsers treat {@code localhost}), redirects followed
     * by hand, and {@code *.localhost} hosts reached on 127.0.0.1.
     */
    private final class Browser {

        private final String baseUrl;
        private final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

        Browser(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** The LTI flow (login initiation, signed id_token, launch post); returns the landing page's URL. */
        String launch(BenchPlatform platform, BenchPlatform.Launch where) throws Exception {
            String target = baseUrl + "/lti/launch";
            HttpResponse<String> login = get(baseUrl + "/lti/login?"
                    + form(Map.of(
                            "iss", BenchPlatform.ISSUER,
                            "login_hint", where.subject(),
                            "target_link_uri", target,
                            "client_id", BenchPlatform.CLIENT_ID,
                            "lti_deployment_id", BenchPlatform.DEPLOYMENT_ID)));
            Map<String, String> query =
                    LaunchBenchmark.query(login.headers().firstValue("Location").orElse(""));
            String idToken = platform.idToken(where, query.get("nonce"), target);
            HttpResponse<String> launched =
                    send("POST", target, form(Map.of("id_token", idToken, "state", query.get("state"))));
            if (launched.statusCode() != 303) {
                throw new IOException("launch: HTTP " + launched.statusCode());
            }
            return resolve(target, launched.headers().firstValue("Location").orElseThrow());
        }

        /** Before auto-start on launch: the assignment page's start form. */
        String startFromPage(String landing, String page) throws Exception {
            Matcher action = START_FORM.matcher(page);
            Matcher csrf = CSRF.matcher(page);
            if (!action.find() || !csrf.find()) {
                throw new IOException("the assignment page has neither a workspace nor a start form");
            }
            send("POST", resolve(landing, action.group(1).replace("&amp;", "&")), form(Map.of("_csrf", csrf.group(1))));
            return get(landing).body();
        }

        void awaitRunning(UUID workspace, String landing) throws Exception {
            String status = resolve(landing, "/workspaces/" + workspace + "/status") + bsid(landing);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                String body = get(status).body();
                if (body.contains("\"state\":\"RUNNING\"")) {
                    return;
                }
                if (body.contains("\"state\":\"FAILED\"")) {
                    throw new IOException("workspace failed: " + body);
                }
                Thread.sleep(10);
            }
            throw new IOException("workspace " + workspace + " not RUNNING after 2 minutes");
        }

        /** Follows {@code /workspaces/{id}/open} to the IDE's page; returns that page's URL. */
        String enter(UUID workspace) throws Exception {
            String url = baseUrl + "/workspaces/" + workspace + "/open" + sessionSuffix();
            for (int hop = 0; hop < 8; hop++) {
                HttpResponse<String> response = get(url);
                if (response.statusCode() == 200) {
                    return url;
                }
                Optional<String> location = response.headers().firstValue("Location");
                if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                    throw new IOException("entering " + url + ": HTTP " + response.statusCode());
                }
                url = resolve(url, location.get());
            }
            throw new IOException("entering workspace " + workspace + ": too many redirects");
        }

        HttpResponse<String> get(String url) throws IOException, InterruptedException {
            return send("GET", url, null);
        }

        private String lastBsid = "";

        private String sessionSuffix() {
            return lastBsid.isEmpty() ? "" : "?bsid=" + lastBsid;
        }

        private String bsid(String url) {
            Map<String, String> query = LaunchBenchmark.query(url);
            String value = query.get("bsid");
            return value == null ? "" : "?bsid=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        HttpResponse<String> send(String method, String url, String formBody) throws IOException, InterruptedException {
            URI uri = URI.create(url);
            String bsid = LaunchBenchmark.query(url).get("bsid");
            if (bsid != null) {
                lastBsid = URLEncoder.encode(bsid, StandardCharsets.UTF_8);
            }
            String host = uri.getHost();
            String authority = uri.getRawAuthority();
            URI target = uri;
            HttpRequest.Builder request = HttpRequest.newBuilder().timeout(REQUEST_TIMEOUT);
            if (host.endsWith(".localhost")) {
                target = URI.create(uri.getScheme() + "://127.0.0.1:" + uri.getPort() + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
                request.header("Host", authority);
            }
            request.uri(target);
            Map<String, String> jar = cookies.getOrDefault(host, Map.of());
            if (!jar.isEmpty()) {
                List<String> pairs = new ArrayList<>();
                jar.forEach((name, value) -> pairs.add(name + "=" + value));
                request.header("Cookie", String.join("; ", pairs));
            }
            if (formBody == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/x-www-form-urlencoded");
                request.header("Origin", uri.getScheme() + "://" + authority);
                request.POST(HttpRequest.BodyPublishers.ofString(formBody));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    cookies.computeIfAbsent(host, h -> new ConcurrentHashMap<>())
                            .put(
                                    pair.substring(0, equals).strip(),
                                    pair.substring(equals + 1).strip());
                }
            }
            return response;
        }
    }

    private static String resolve(String base, String location) {
        return URI.create(base).resolve(location).toString();
    }

    private static String form(Map<String, String> fields) {
        List<String> pairs = new ArrayList<>();
        fields.forEach((name, value) -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    }

    private static long micros(long nanos) {
        return Math.max(1, nanos / 1000);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
