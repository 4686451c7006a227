package dev.berth.workspace.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.TestBerth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay between a real Tomcat and real upstreams: Python's file server, the built-in terminal, a JDK server. */
class WorkspaceRelayIntegrationTests {

    static final String BERTH_SESSION = "BERTH_SESSION";

    @TempDir
    static Path directory;

    static byte[] download;
    static ChildUpstream files;
    static ChildUpstream terminal;
    static String terminalBase;
    static HeaderEchoUpstream echo;
    static WorkspaceRelay relay;
    static RelayServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        Path served = Files.createDirectories(directory.resolve("served"));
        Files.writeString(served.resolve("small.txt"), "small file\n");
        download = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(download);
        Files.write(served.resolve("big.bin"), download);
        Files.createDirectories(served.resolve("sub"));
        Files.writeString(served.resolve("sub/index.html"), "<p>sub</p>");
        files = ChildUpstream.python(served);
        terminalBase = "/ws/" + UUID.randomUUID().toString().replace("-", "") + "/";
        terminal = ChildUpstream.terminal(Files.createDirectories(directory.resolve("terminal")), terminalBase);
        echo = new HeaderEchoUpstream();
        relay = new WorkspaceRelay(RelaySettings.of(Set.of(BERTH_SESSION, "XSRF-TOKEN"), Set.of("bsid"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(10)));
        server = new RelayServer(relay);
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        relay.close();
        echo.close();
        terminal.close();
        files.close();
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void getAndHeadOfAStaticFileComeThroughUnchanged() throws Exception {
        var get = send(HttpRequest.newBuilder(server.url(files.port, "/small.txt")));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(new String(get.body())).isEqualTo("small file\n");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain");

        var head = send(HttpRequest.newBuilder(server.url(files.port, "/small.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("11");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void largeDownloadStreamsThroughWithItsLength() throws Exception {
        var response = client.send(
                HttpRequest.newBuilder(server.url(files.port, "/big.bin")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(download.length));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (var in = response.body()) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                total += read;
            }
        }
        assertThat(total).isEqualTo(download.length);
        assertThat(digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(download));
    }

    @Test
    void responseIsRelayedAsItArrivesNotWhenItEnds() throws Exception {
        long started = System.nanoTime();
        var response = client.send(
                HttpRequest.newBuilder(server.url(echo.port(), "/drip")).build(), HttpResponse.BodyHandlers.ofLines());
        try (var lines = response.body()) {
            var iterator = lines.iterator();
            assertThat(iterator.next()).isEqualTo("first");
            long first = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(first)
                    .as("milliseconds to the first line, sent 1.5 s before the body ends")
                    .isLessThan(1000);
            assertThat(iterator.next())
                    .as("a body that streams past the response timeout (1 s here) is not cut")
                    .isEqualTo("second");
        }
    }

    @Test
    void browserThatStopsReadingStallsTheUpstreamInsteadOfFillingBerthsMemory() throws Exception {
        String chunk = "x".repeat(64 * 1024);
        long attempted = 256L * 1024 * 1024;
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        try (HttpClient http = HttpClient.newHttpClient()) {
            // A listener that never asks for a frame: everything the echo sends back stays unread.
            java.net.http.WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(server.ws(server.port, "/echo"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public void onOpen(java.net.http.WebSocket webSocket) {}
                    })
                    .join();
            Thread sender = Thread.ofVirtual().start(() -> {
                while (sent.get() < attempted) {
                    socket.sendText(chunk, true).join();
                    sent.addAndGet(chunk.length());
                }
            });
            sender.join(Duration.ofSeconds(3));
            socket.abort();
            sender.interrupt();
        }
        System.out.printf("relay figures: unread echo stalled the sender after %,d bytes%n", sent.get());
        assertThat(sent.get())
                .as("bytes the sender got rid of in 3 s while nobody read the echo (of %d offered)", attempted)
                .isLessThan(32L * 1024 * 1024);
    }

    @Test
    void postBodyStreamsToTheUpstreamAndBack() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        var response = send(HttpRequest.newBuilder(server.url(echo.port(), "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void notFoundAndRedirectsPassThroughUntouched() throws Exception {
        assertThat(send(HttpRequest.newBuilder(server.url(files.port, "/missing.txt")))
                        .statusCode())
                .isEqualTo(404);

        var redirect = send(HttpRequest.newBuilder(server.url(files.port, "/sub")));
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location"))
                .as("the upstream's own Location, not rewritten or followed")
                .hasValue("/sub/");
    }

    @Test
    void berthCredentialsNeverReachTheUpstream() throws Exception {
        var response = send(HttpRequest.newBuilder(server.url(echo.port(), "/headers?bsid=session-in-url&a=1"))
                .header("Cookie", BERTH_SESSION + "=secret-session; _xsrf=jupyter; XSRF-TOKEN=berth-csrf")
                .header("Authorization", "Bearer secret-token")
                .header("X-Forwarded-For", "6.6.6.6")
                .header("Accept-Language", "fr"));
        String seen = new String(response.body());

        assertThat(seen)
                .as("what the upstream received")
                .startsWith("GET /headers?a=1\n")
                .doesNotContain("secret-session", "secret-token", "berth-csrf", "session-in-url", "6.6.6.6")
                .doesNotContainIgnoringCase("authorization")
                .contains("cookie: _xsrf=jupyter\n", "accept-language: fr\n")
                .contains("x-forwarded-for: 127.0.0.1\n", "x-forwarded-proto: http\n")
                .contains("x-forwarded-host: 127.0.0.1:" + server.port + "\n")
                .contains("host: 127.0.0.1:" + echo.port() + "\n");
        assertThat(response.headers().allValues("Set-Cookie"))
                .as("an upstream may set its own cookies, never Berth's")
                .containsExactly("workspace=ok; Path=/; Secure; SameSite=None; Partitioned");
    }

    @Test
    void upstreamDownGivesBadGatewayPageOrJson() throws Exception {
        int nobody = TestBerth.freePort();
        var page = send(HttpRequest.newBuilder(server.url(nobody, "/")));
        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));

        var json =
                send(HttpRequest.newBuilder(server.url(nobody, "/api/kernels")).header("Accept", "application/json"));
        assertThat(json.statusCode()).isEqualTo(502);
        assertThat(new String(json.body())).contains("\"error\":\"workspace_unreachable\"");
    }

    @Test
    void slowUpstreamIsCutOffAtTheResponseTimeout() throws Exception {
        long started = System.nanoTime();
        var response = send(HttpRequest.newBuilder(server.url(echo.port(), "/slow")));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(took).as("milliseconds until the 504").isBetween(900L, 2500L);
    }

    @Test
    void unknownWorkspaceIsNotFound() throws Exception {
        assertThat(send(HttpRequest.newBuilder(server.url(1, "/"))).statusCode())
                .isEqualTo(404);
    }

    @Test
    void terminalCommandRunsOverTheRelayedSocket() throws Exception {
        assertThat(new String(send(HttpRequest.newBuilder(server.url(terminal.port, terminalBase)))
                        .body()))
                .contains("xterm/lib/xterm.js");
        try (SocketClient socket = new SocketClient(server.ws(terminal.port, terminalBase + "pty?cols=100&rows=30"))) {
            socket.socket
                    .sendText("echo hello > note.txt && cat note.txt\n", true)
                    .join();

            socket.await(text -> plain(text).contains("\nhello\n"), "hello from cat");
        }
        assertThat(directory.resolve("terminal/home/note.txt")).hasContent("hello");
    }

    static String plain(String output) {
        return output.replaceAll("\u001B(\\[[0-9;?]*[A-Za-z]|\\][^\u0007]*\u0007|[=>])", "")
                .replace("\r", "")
                .replace("\n\n", "\n");
    }

    @Test
    void textBinarySubprotocolAndCloseCodeAreRelayed() throws Exception {
        try (SocketClient socket =
                new SocketClient(server.ws(server.port, "/echo?bsid=secret"), "v9.unknown", RelayServer.SUBPROTOCOL)) {
            assertThat(socket.socket.getSubprotocol()).isEqualTo(RelayServer.SUBPROTOCOL);

            String big = "é😀x".repeat(300_000);
            socket.socket.sendText("hello", true).join();
            socket.socket.sendText(big, true).join();
            socket.socket
                    .sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true)
                    .join();
            socket.awaitMessages(3);
            assertThat(socket.text()).isEqualTo("hello\n" + big + "\n");
            assertThat(socket.binary()).containsExactly(1, 2, 3);
            assertThat(RelayServer.BROWSER_FRAMES.get())
                    .as("each frame the browser sent was reported (the gateway's activity hook)")
                    .isGreaterThanOrEqualTo(3);

            socket.socket.sendText("close-me", true).join();
            assertThat(socket.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4001 bye");
        }
    }

    @Test
    void malformedUpgradeIsRefusedByTheContainer() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write(("GET /u/" + server.port + "/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(statusLine)
                    .as("answer to an upgrade without a key or version")
                    .matches("HTTP/1.1 4\\d\\d .*");
        }
    }

    @Test
    void socketToAnUpstreamThatIsDownIsRefused() {
        int nobody = TestBerth.freePort();
        try (HttpClient http = HttpClient.newHttpClient()) {
            var attempt = http.newWebSocketBuilder()
                    .buildAsync(server.ws(nobody, "/pty"), new java.net.http.WebSocket.Listener() {});
            assertThat(attempt)
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(502));
        }
    }

    @Test
    void figuresAgainstGoingDirect() throws Exception {
        URI direct = URI.create("http://127.0.0.1:" + echo.port() + "/headers");
        URI relayed = server.url(echo.port(), "/headers");
        URI pythonDirect = URI.create("http://127.0.0.1:" + files.port + "/small.txt");
        URI pythonRelayed = server.url(files.port, "/small.txt");
        for (int i = 0; i < 300; i++) {
            send(HttpRequest.newBuilder(direct));
            send(HttpRequest.newBuilder(relayed));
        }
        System.out.printf(
                "relay figures: HTTP keep-alive upstream (JDK server), 1000 sequential GETs: direct %s; relayed %s%n",
                latencies(direct), latencies(relayed));
        System.out.printf(
                "relay figures: HTTP python3 http.server (HTTP/1.0, new connection each), 1000 GETs: direct %s; relayed %s%n",
                latencies(pythonDirect), latencies(pythonRelayed));
        URI echoDirect = URI.create("ws://127.0.0.1:" + server.port + "/echo");
        URI echoRelayed = server.ws(server.port, "/echo");
        messagesPerSecond(echoDirect, 20_000);
        messagesPerSecond(echoRelayed, 20_000);
        System.out.printf(
                "relay figures: WebSocket echo, 100000 small text messages pipelined: direct %,d msg/s; relayed %,d msg/s%n",
                messagesPerSecond(echoDirect, 100_000), messagesPerSecond(echoRelayed, 100_000));
    }

    private static String latencies(URI uri) throws Exception {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            var response = send(HttpRequest.newBuilder(uri));
            nanos[i] = System.nanoTime() - started;
            assertThat(response.statusCode()).isEqualTo(200);
        }
        java.util.Arrays.sort(nanos);
        return String.format("p50 %.3f ms, p99 %.3f ms", nanos[499] / 1e6, nanos[989] / 1e6);
    }

    /** Messages echoed per second, counting each message once (one way relayed, then back). */
    private static long messagesPerSecond(URI uri, int count) throws Exception {
        try (SocketClient socket = new SocketClient(uri)) {
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                socket.socket.sendText("message " + i, true).join();
            }
            socket.awaitMessages(count);
            long took = System.nanoTime() - started;
            return count * 1_000_000_000L / took;
        }
    }
}
