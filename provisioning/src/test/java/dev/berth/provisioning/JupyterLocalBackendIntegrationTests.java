package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.provisioning.local.LocalWorkspaceBackend;
import java.io.File;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's real Jupyter Notebook, started by the local backend from the catalogue row the migrations seed:
 * a kernel is created over the REST API and runs {@code print(6*7)} over the kernel WebSocket, and stopping
 * the workspace leaves no Jupyter or kernel process behind. CI installs {@code jupyter-notebook}; without it
 * these tests fail, they never skip.
 */
class JupyterLocalBackendIntegrationTests {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path data;

    private final DataSource dataSource = TestDatabase.dataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);
    private final JdbcWorkspaceStore store = new JdbcWorkspaceStore(jdbc, Clock.systemUTC());
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Runnable> cleanups = new ArrayList<>();
    private LocalWorkspaceBackend backend;

    @BeforeEach
    void requireJupyter() {
        boolean installed = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "jupyter-notebook"))
                .anyMatch(Files::isExecutable);
        if (!installed) {
            fail("jupyter-notebook is not on the PATH: apt-get install jupyter-notebook");
        }
        TestDatabase.reset();
        backend = new LocalWorkspaceBackend(
                data.resolve("workspaces"), Clock.systemUTC(), Duration.ofSeconds(5), 1024 * 1024, false);
    }

    @AfterEach
    void stopEverything() {
        cleanups.forEach(Runnable::run);
        TestDatabase.reset();
    }

    @Test
    void theSeededJupyterRowRunsACellOverTheKernelWebSocketAndStopLeavesNoProcess() throws Exception {
        WorkspaceSpec spec = seededSpec("student-1");
        assertThat(spec.command().getFirst()).isEqualTo("jupyter-notebook");
        assertThat(spec.stripBasePath())
                .as("Jupyter serves under the base path itself")
                .isFalse();

        BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
        Path home = Path.of(refs.get("home"));
        refs = backend.start(spec, refs);
        String endpoint = awaitHealthy(spec, refs);
        long pid = Long.parseLong(refs.get("pid"));

        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        String base = endpoint + spec.basePath();

        // As Jupyter's own page does: a page load sets the _xsrf cookie, API writes echo it in a header.
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(base + "tree")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        String xsrf = cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("_xsrf"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("Jupyter set no _xsrf cookie on " + base + "tree"));

        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(base + "api/kernels"))
                        .header("Content-Type", "application/json")
                        .header("X-XSRFToken", xsrf)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"python3\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String kernelId = json.readTree(created.body()).get("id").asString();

        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        String session = UUID.randomUUID().toString();
        WebSocket socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(
                        URI.create(base.replaceFirst("^http", "ws") + "api/kernels/" + kernelId
                                + "/channels?session_id=" + session),
                        new Collector(received))
                .get(30, TimeUnit.SECONDS);
        try {
            String msgId = UUID.randomUUID().toString();
            Map<String, Object> request = Map.of(
                    "header",
                    Map.of(
                            "msg_id",
                            msgId,
                            "username",
                            "berth-test",
                            "session",
                            session,
                            "msg_type",
                            "execute_request",
                            "version",
                            "5.3",
                            "date",
                            Instant.now().toString()),
                    "parent_header",
                    Map.of(),
                    "metadata",
                    Map.of(),
                    "content",
                    Map.of(
                            "code", "print(6*7)",
                            "silent", false,
                            "store_history", true,
                            "user_expressions", Map.of(),
                            "allow_stdin", false,
                            "stop_on_error", true),
                    "channel",
                    "shell",
                    "buffers",
                    List.of());
            socket.sendText(json.writeValueAsString(request), true).get(10, TimeUnit.SECONDS);

            String output = awaitStream(received, msgId, Duration.ofSeconds(60));
            assertThat(output).isEqualTo("42\n");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }

        List<ProcessHandle> tree = new ArrayList<>(
                ProcessHandle.of(pid).orElseThrow().descendants().toList());
        assertThat(tree)
                .as("the kernel runs as a child of the notebook server")
                .anyMatch(p -> p.info().commandLine().orElse("").contains("ipykernel"));
        tree.add(ProcessHandle.of(pid).orElseThrow());
        assertThat(processesOf(home)).isNotEmpty();
        assertThat(home.resolve(".local/share/jupyter/runtime/kernel-" + kernelId + ".json"))
                .as("the kernel's connection file is inside the workspace home")
                .exists();

        backend.stop(spec, refs);

        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(processesOf(home))
                .as("processes of the workspace after stop")
                .isEmpty();
        assertThat(backend.observe(spec, refs).running()).isFalse();
    }

    @Test
    void coldStartToHealthyThreeTimes() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            WorkspaceSpec spec = seededSpec("cold-" + run);
            BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
            long started = System.nanoTime();
            refs = backend.start(spec, refs);
            awaitHealthy(spec, refs);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            backend.stop(spec, refs);
            assertThat(processesOf(Path.of(refs.get("home")))).isEmpty();
        }
        System.out.println("jupyter cold start to healthy (ms): " + millis);
        assertThat(millis).allMatch(ms -> ms < HEALTHY_WITHIN.toMillis());
    }

    /** A workspace of the seeded 'jupyter' environment, with the spec the engine builds from the row. */
    private WorkspaceSpec seededSpec(String owner) {
        JdbcWorkspaceStore.Environment environment =
                store.environment("jupyter").orElseThrow(() -> new AssertionError("no seeded 'jupyter' row"));
        UUID id = store.insertIfAbsent(owner, "course-1", environment, "local").orElseThrow();
        WorkspaceSpec spec = store.find(id).orElseThrow().spec();
        cleanups.add(() -> backend.stop(spec, BackendRefs.empty()));
        return spec;
    }

    private String awaitHealthy(WorkspaceSpec spec, BackendRefs refs) throws InterruptedException {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            Observation observation = backend.observe(spec, refs);
            if (observation.healthy()) {
                return observation.endpoint();
            }
            if (!observation.running()) {
                fail("Jupyter exited before it became healthy:\n" + backend.logs(spec, refs, 8192));
            }
            Thread.sleep(50);
        }
        return fail("Jupyter did not answer " + spec.healthPath() + " within " + HEALTHY_WITHIN + ":\n"
                + backend.logs(spec, refs, 8192));
    }

    private static String awaitStream(BlockingQueue<JsonNode> received, String msgId, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message == null) {
                break;
            }
            String type = message.path("header").path("msg_type").asString("");
            seen.add(message.path("channel").asString("") + "/" + type);
            if (message.path("channel").asString("").equals("iopub")
                    && type.equals("stream")
                    && message.path("parent_header").path("msg_id").asString("").equals(msgId)) {
                return message.path("content").path("text").asString("");
            }
        }
        return fail("no iopub stream message answered the execute_request; saw " + seen);
    }

    /** Processes whose command line names the workspace home: the notebook server and its kernels. */
    private static List<ProcessHandle> processesOf(Path home) {
        String marker = home.toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .toList();
    }

    /** Gathers whole text messages of the kernel channel WebSocket as JSON. */
    private final class Collector implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> received;
        private final StringBuilder partial = new StringBuilder();

        Collector(BlockingQueue<JsonNode> received) {
            this.received = received;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(json.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
