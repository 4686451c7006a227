package dev.berth.bench;

import static dev.berth.bench.LaunchBenchmark.REQUEST_TIMEOUT;
import static dev.berth.bench.LaunchBenchmark.abbreviate;
import static dev.berth.bench.LaunchBenchmark.form;
import static dev.berth.bench.LaunchBenchmark.histogram;
import static dev.berth.bench.LaunchBenchmark.micros;
import static dev.berth.bench.LaunchBenchmark.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The load generator in this JVM: a platform thread per worker, nimbus (the JDK's RSA) signing every id_token,
 * and one {@link HttpClient} for all workers.
 */
final class JavaLaunchDriver implements LaunchDriver {

    private final BenchOptions options;
    private final HttpClient client;
    private final BenchPlatform platform;
    private final String baseUrl;
    private final String target;
    private final AtomicLong nextLaunch = new AtomicLong();
    private final LongAdder completed = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> warmupErrors = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicLong errorSampleCount = new AtomicLong();

    JavaLaunchDriver(BenchOptions options, HttpClient client, BenchPlatform platform, String baseUrl, String target) {
        this.options = options;
        this.client = client;
        this.platform = platform;
        this.baseUrl = baseUrl;
        this.target = target;
    }

    @Override
    public String description() {
        return "Java driver (this JVM: java.net.http.HttpClient, nimbus RS256)";
    }

    @Override
    public String generatorLabel() {
        return "load generator (this JVM: LMS + HTTP client)";
    }

    @Override
    public double generatorCpuSeconds() {
        return ProcStat.cpuSeconds(ProcessHandle.current().pid());
    }

    @Override
    public Launches run(Window window) throws InterruptedException {
        long start = System.nanoTime();
        long measureStart = start + options.warmup().toNanos();
        long measureEnd = measureStart + options.duration().toNanos();
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.concurrency(); i++) {
            Worker worker = new Worker(measureStart, measureEnd);
            workers.add(worker);
            Thread thread = new Thread(worker, "launch-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        progressUntil(measureStart, window);
        window.open();
        long launchesBefore = nextLaunch.get();
        progressUntil(measureEnd, window);
        window.close();
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.toMillis() * 3);
        }
        Histogram total = histogram();
        Histogram login = histogram();
        Histogram sign = histogram();
        Histogram launch = histogram();
        for (Worker worker : workers) {
            total.add(worker.total);
            login.add(worker.login);
            sign.add(worker.sign);
            launch.add(worker.launch);
        }
        return new Launches(
                total,
                login,
                sign,
                launch,
                sorted(errors),
                sorted(warmupErrors),
                List.copyOf(errorSamples),
                nextLaunch.get() - launchesBefore);
    }

    private void progressUntil(long until, Window window) throws InterruptedException {
        while (System.nanoTime() < until) {
            Thread.sleep(Math.max(1, Math.min(1_000, (until - System.nanoTime()) / 1_000_000)));
            window.progress(completed.sum(), errorTotal(errors) + errorTotal(warmupErrors));
        }
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counters) {
        Map<String, Long> result = new TreeMap<>();
        counters.forEach((kind, count) -> result.put(kind, count.sum()));
        return result;
    }

    private static long errorTotal(Map<String, LongAdder> counters) {
        return counters.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** One worker: launch after launch, each for a new user, until the measured window closes. */
    private final class Worker implements Runnable {

        private final long measureStart;
        private final long measureEnd;
        final Histogram total = histogram();
        final Histogram login = histogram();
        final Histogram sign = histogram();
        final Histogram launch = histogram();

        Worker(long measureStart, long measureEnd) {
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
        }

        @Override
        public void run() {
            while (System.nanoTime() < measureEnd) {
                long n = nextLaunch.getAndIncrement();
                if (n >= options.maxLaunches()) {
                    return;
                }
                long t0 = System.nanoTime();
                boolean measured = t0 >= measureStart;
                String stage = "login";
                try {
                    BenchPlatform.Launch where =
                            BenchPlatform.Launch.of(n, options.courses(), options.linksPerCourse());
                    HttpResponse<String> loginResponse =
                            client.send(loginRequest(where), HttpResponse.BodyHandlers.ofString());
                    if (loginResponse.statusCode() != 302) {
                        throw new Unexpected("login: HTTP " + loginResponse.statusCode(), loginResponse.body());
                    }
                    Map<String, String> query =
                            query(loginResponse.headers().firstValue("Location").orElse(""));
                    String state = query.get("state");
                    String nonce = query.get("nonce");
                    if (state == null || nonce == null) {
                        throw new Unexpected("login: no state or nonce in Location", query.toString());
                    }
                    long t1 = System.nanoTime();
                    stage = "sign";
                    String idToken = platform.idToken(where, nonce, target);
                    long t2 = System.nanoTime();
                    stage = "launch";
                    HttpResponse<String> launchResponse =
                            client.send(launchRequest(idToken, state), HttpResponse.BodyHandlers.ofString());
                    if (launchResponse.statusCode() != 303) {
                        throw new Unexpected("launch: HTTP " + launchResponse.statusCode(), launchResponse.body());
                    }
                    if (!launchResponse
                            .headers()
                            .firstValue("Location")
                            .orElse("")
                            .contains("/courses/")) {
                        throw new Unexpected(
                                "launch: unexpected Location",
                                launchResponse.headers().toString());
                    }
                    long t3 = System.nanoTime();
                    completed.increment();
                    if (measured && t3 <= measureEnd) {
                        total.recordValue(micros(t3 - t0));
                        login.recordValue(micros(t1 - t0));
                        sign.recordValue(micros(t2 - t1));
                        launch.recordValue(micros(t3 - t2));
                    }
                } catch (Unexpected e) {
                    failed(measured, e.getMessage(), e.detail);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    failed(measured, stage + ": " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                }
            }
        }

        private HttpRequest loginRequest(BenchPlatform.Launch where) {
            String query = form(Map.of(
                    "iss",
                    BenchPlatform.ISSUER,
                    "login_hint",
                    where.subject(),
                    "target_link_uri",
                    target,
                    "client_id",
                    BenchPlatform.CLIENT_ID,
                    "lti_deployment_id",
                    BenchPlatform.DEPLOYMENT_ID,
                    "lti_message_hint",
                    "hint-" + where.resourceLinkId()));
            return HttpRequest.newBuilder(URI.create(baseUrl + "/lti/login?" + query))
                    .timeout(REQUEST_TIMEOUT)
                    .GET()
                    .build();
        }

        private HttpRequest launchRequest(String idToken, String state) {
            return HttpRequest.newBuilder(URI.create(target))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("id_token", idToken, "state", state))))
                    .build();
        }

        private void failed(boolean measured, String kind, String detail) {
            (measured ? errors : warmupErrors)
                    .computeIfAbsent(kind, k -> new LongAdder())
                    .increment();
            if (errorSampleCount.getAndIncrement() < 5) {
                errorSamples.add(kind + ": " + abbreviate(detail));
            }
            try {
                // An error is usually fast; do not let a broken Berth turn the loop into a spin.
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Unexpected extends Exception {

        private static final long serialVersionUID = 1L;

        final String detail;

        Unexpected(String kind, String detail) {
            super(kind, null, false, false);
            this.detail = detail;
        }
    }
}
