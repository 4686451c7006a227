package dev.berth.workspace.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's Jupyter Notebook behind the relay, which rewrites Host: an API write with the page's own Origin is
 * accepted (the relay rewrites a same-origin Origin to the upstream's), one from another origin still refused;
 * a kernel runs {@code print(6*7)} over its channel WebSocket, opened with a workspace host's Origin (which the
 * relay drops after its own check).
 */
class JupyterThroughRelayIntegrationTests {

    @TempDir
    Path directory;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aCellRunsOverTheKernelWebSocketThroughTheRelay() throws Exception {
        String base = "/ws/" + UUID.randomUUID() + "/";
        try (ChildUpstream jupyter = ChildUpstream.jupyter(directory, base);
                WorkspaceRelay relay = new WorkspaceRelay(RelaySettings.of(Set.of("BERTH_SESSION"), Set.of("bsid")));
                RelayServer server = new RelayServer(relay)) {
            CookieManager cookies = new CookieManager();
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .cookieHandler(cookies)
                    .build();

            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(server.url(jupyter.port, base + "tree"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(jupyter.log()).isEqualTo(200);
            String xsrf = cookies.getCookieStore().getCookies().stream()
                    .filter(cookie -> cookie.getName().equals("_xsrf"))
                    .map(HttpCookie::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no _xsrf cookie came through the relay"));
            // A browser sends its page's Origin with API writes; Jupyter compares it with the Host it sees.
            HttpResponse<String> foreign = http.send(
                    newKernel(server, jupyter, base, xsrf, "http://ws-other.localhost:" + server.port),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode())
                    .as("another origin is still refused by Jupyter: " + foreign.body())
                    .isEqualTo(404);
            HttpResponse<String> created = http.send(
                    newKernel(server, jupyter, base, xsrf, "http://127.0.0.1:" + server.port),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode())
                    .as("the workspace's own origin gets through: " + created.body())
                    .isEqualTo(201);
            String kernelId = json.readTree(created.body()).get("id").asString();

            BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
            String session = UUID.randomUUID().toString();
            WebSocket socket = http.newWebSocketBuilder()
                    .header("Origin", "http://ws-student.localhost:8080")
                    .buildAsync(
                            server.ws(
                                    jupyter.port, base + "api/kernels/" + kernelId + "/channels?session_id=" + session),
                            new Collector(received))
                    .get(30, TimeUnit.SECONDS);
            String msgId = UUID.randomUUID().toString();
            socket.sendText(
                            json.writeValueAsString(Map.of(
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
                                    List.of())),
                            true)
                    .get(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String output = null;
            while (output == null && System.nanoTime() < deadline) {
                JsonNode message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    break;
                }
                if (message.path("channel").asString("").equals("iopub")
                        && message.path("header").path("msg_type").asString("").equals("stream")
                        && message.path("parent_header")
                                .path("msg_id")
                                .asString("")
                                .equals(msgId)) {
                    output = message.path("content").path("text").asString("");
                }
            }
            if (output == null) {
                fail("no iopub stream answered the execute_request:\n" + jupyter.log());
            }
            assertThat(output).isEqualTo("42\n");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            http.close();
        }
    }

    private static HttpRequest newKernel(
            RelayServer server, ChildUpstream jupyter, String base, String xsrf, String origin) {
        return HttpRequest.newBuilder(server.url(jupyter.port, base + "api/kernels"))
                .header("Content-Type", "application/json")
                .header("X-XSRFToken", xsrf)
                // The relay makes the workspace's cookies Secure (and partitioned) for the LMS frame; browsers send
                // Secure cookies to http://localhost hosts, Java's cookie manager only over https.
                .header("Cookie", "_xsrf=" + xsrf)
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"python3\"}"))
                .build();
    }

    /** Whole text messages of the kernel channel WebSocket, as JSON. */
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
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
