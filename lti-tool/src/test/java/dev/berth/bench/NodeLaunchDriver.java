package dev.berth.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator as a Node.js child process running {@code bench/launch-driver.mjs} (test resources):
 * the same launches as {@link JavaLaunchDriver}, signed with OpenSSL through {@code node:crypto} and sent over
 * {@code node:http} keep-alive connections, so it takes less of the CPU it shares with Berth. The configuration
 * (the platform's private key included) goes to the script's stdin; the script reports progress and the
 * measured window on stdout and writes its launches to a JSON file at the end.
 */
final class NodeLaunchDriver implements LaunchDriver {

    static final int MINIMUM_NODE = 18;
    private static final String SCRIPT = "bench/launch-driver.mjs";
    /** How long after the window closes the script may take to finish its launches and write its result. */
    private static final long GRACE_SECONDS = 3 * LaunchBenchmark.REQUEST_TIMEOUT.toSeconds() + 60;

    private final BenchOptions options;
    private final BenchPlatform platform;
    private final String baseUrl;
    private final String target;
    private final Path out;
    private final String stamp;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String version;
    private volatile Process node;

    NodeLaunchDriver(
            BenchOptions options, BenchPlatform platform, String baseUrl, String target, Path out, String stamp) {
        this.options = options;
        this.platform = platform;
        this.baseUrl = baseUrl;
        this.target = target;
        this.out = out;
        this.stamp = stamp;
        this.version = nodeVersion().orElse("node");
    }

    /** The version of the {@code node} on PATH ("v20.11.1"), if it is there and at least {@link #MINIMUM_NODE}. */
    static Optional<String> nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            int major = Integer.parseInt(answer.substring(1, answer.indexOf('.')));
            return answer.startsWith("v") && major >= MINIMUM_NODE ? Optional.of(answer) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public String description() {
        return "Node.js driver (node " + version + ": node:http keep-alive, OpenSSL RS256)";
    }

    @Override
    public String generatorLabel() {
        return "load generator (node: LMS + HTTP client; this JVM: harness + JWKS)";
    }

    @Override
    public double generatorCpuSeconds() {
        Process running = node;
        return ProcStat.cpuSeconds(ProcessHandle.current().pid())
                + (running == null ? 0 : ProcStat.cpuSeconds(running.pid()));
    }

    @Override
    public Launches run(Window window) throws Exception {
        Path script = out.resolve("launch-driver.mjs");
        try (InputStream in = NodeLaunchDriver.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is not on the test classpath");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path result = out.resolve("node-result-" + stamp + ".json");
        Files.deleteIfExists(result);
        Process process = new ProcessBuilder("node", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        node = process;
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(json.writeValueAsBytes(config(result)));
            }
            long limit = options.warmup().plus(options.duration()).toSeconds() + GRACE_SECONDS;
            Thread.ofPlatform().daemon().name("node-driver-watchdog").start(() -> {
                try {
                    if (!process.waitFor(limit, TimeUnit.SECONDS)) {
                        System.err.println("bench: the node driver did not finish within " + limit + " s; stopping it");
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            });
            boolean closed = false;
            try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("progress ")) {
                        String[] counts = line.split(" ");
                        window.progress(Long.parseLong(counts[1]), Long.parseLong(counts[2]));
                    } else if (line.equals("measure-start")) {
                        window.open();
                    } else if (line.equals("measure-end")) {
                        window.close();
                        closed = true;
                    } else {
                        System.out.println("bench: node: " + line);
                    }
                }
            }
            int status = process.waitFor();
            if (status != 0 || !closed) {
                throw new IOException("the node driver exited with status " + status
                        + (closed ? "" : " before the measured window closed") + " (its messages are above)");
            }
            Launches launches = read(result);
            Files.delete(result);
            return launches;
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private Map<String, Object> config(Path result) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", baseUrl);
        config.put("targetLinkUri", target);
        config.put("issuer", BenchPlatform.ISSUER);
        config.put("clientId", BenchPlatform.CLIENT_ID);
        config.put("deploymentId", BenchPlatform.DEPLOYMENT_ID);
        config.put("kid", platform.keyId());
        config.put("privateKeyPem", platform.privateKeyPem());
        config.put("courses", options.courses());
        config.put("linksPerCourse", options.linksPerCourse());
        config.put("concurrency", options.concurrency());
        config.put("warmupMs", options.warmup().toMillis());
        config.put("durationMs", options.duration().toMillis());
        config.put("maxLaunches", options.maxLaunches());
        config.put("requestTimeoutMs", LaunchBenchmark.REQUEST_TIMEOUT.toMillis());
        config.put("resultFile", result.toString());
        return config;
    }

    /**
     * Reads the script's result. Its latency arrays hold a number per measured launch, millions in a long run,
     * so they are streamed into the histograms rather than read as a tree.
     */
    private Launches read(Path file) throws IOException {
        Map<String, Histogram> latency = new LinkedHashMap<>();
        for (String step : List.of("total", "login", "sign", "launch")) {
            latency.put(step, LaunchBenchmark.histogram());
        }
        Map<String, Long> errors = Map.of();
        Map<String, Long> warmupErrors = Map.of();
        List<String> samples = List.of();
        long started = 0;
        try (JsonParser parser = json.createParser(file.toFile())) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, file);
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "started" -> started = parser.getLongValue();
                    case "errors" -> errors = counts(parser.readValueAsTree());
                    case "warmupErrors" -> warmupErrors = counts(parser.readValueAsTree());
                    case "samples" -> samples = strings(parser.readValueAsTree());
                    case "latency" -> {
                        expect(parser.currentToken(), JsonToken.START_OBJECT, file);
                        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                            Histogram histogram = latency.get(parser.currentName());
                            expect(parser.nextToken(), JsonToken.START_ARRAY, file);
                            if (histogram == null) {
                                parser.skipChildren();
                                continue;
                            }
                            while (parser.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                                histogram.recordValue(
                                        Math.min(LaunchBenchmark.HIGHEST_MICROS, Math.max(1, parser.getLongValue())));
                            }
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        }
        return new Launches(
                latency.get("total"),
                latency.get("login"),
                latency.get("sign"),
                latency.get("launch"),
                errors,
                warmupErrors,
                samples,
                started);
    }

    private static void expect(JsonToken token, JsonToken expected, Path file) throws IOException {
        if (token != expected) {
            throw new IOException("unexpected " + token + " in " + file + " (expected " + expected + ")");
        }
    }

    private static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> counts = new TreeMap<>();
        node.properties()
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
        return counts;
    }

    private static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>();
        node.values().forEach(value -> strings.add(value.asString()));
        return List.copyOf(strings);
    }
}
