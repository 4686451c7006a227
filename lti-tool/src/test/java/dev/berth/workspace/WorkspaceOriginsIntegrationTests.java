package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-workspace origins (the default): Berth's {@code /workspaces/{id}/open} hands a one-time token to the
 * workspace's own host ({@code ws-<id>.localhost}), whose gateway turns it into a session cookie for that
 * workspace only. The tests reach workspace hosts on 127.0.0.1 by naming them in the Host header.
 */
@BerthIntegrationTest
class WorkspaceOriginsIntegrationTests {

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Workspaces workspaces;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EntryTokens tokens;

    @Value("${berth.public-url}")
    String baseUrl;

    @Value("${berth.data-dir}")
    String dataDir;

    @Value("${server.port}")
    int port;

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<UUID> started = new ArrayList<>();
    private TestPlatform canvas;

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
        EvilWorkspaces.addEnvironment(jdbc);
    }

    @AfterEach
    void stopWhatWasStarted() throws InterruptedException {
        for (UUID id : started) {
            EvilWorkspaces.stop(workspaces, id);
        }
    }

    @Test
    void viewersEnterWorkspacesOnTheirOwnHostsWithOneTimeTokensAndOthersAreKeptOut() throws Exception {
        String ada = launch(login -> TestLaunch.student(canvas, login).with("sub", "origin-ada"));
        String bob = launch(login ->
                TestLaunch.student(canvas, login).with("sub", "origin-bob").with("name", "Bob Builder"));
        String grace = launch(login -> TestLaunch.instructor(canvas, login).with("sub", "origin-grace"));
        long course = EvilWorkspaces.latestCourseId(jdbc);
        UUID adas = start(EvilWorkspaces.personId(jdbc, "origin-ada"), course);
        UUID bobs = start(EvilWorkspaces.personId(jdbc, "origin-bob"), course);
        Files.writeString(EvilWorkspaces.home(dataDir, adas).resolve("hello.txt"), "Ada's file\n");

        HttpResponse<String> open = berth("/workspaces/" + adas + "/open?bsid=" + ada);
        assertThat(open.statusCode()).isEqualTo(302);
        URI entry = URI.create(open.headers().firstValue("Location").orElseThrow());
        assertThat(entry.getHost()).isEqualTo("ws-" + adas + ".localhost");
        assertThat(entry.getPort()).isEqualTo(port);
        assertThat(entry.getPath()).isEqualTo("/.berth/enter");
        assertThat(entry.getRawQuery())
                .as("no Berth session goes to the workspace's host")
                .doesNotContain("bsid");

        HttpResponse<String> entered = onHost(adas, "GET", entry.getRawPath() + "?" + entry.getRawQuery(), Map.of());
        assertThat(entered.statusCode()).isEqualTo(303);
        String setCookie = entered.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("__Host-berth-ws=")
                .contains("Path=/", "Secure", "HttpOnly", "SameSite=None", "Partitioned")
                .doesNotContain("Domain");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String check = entered.headers().firstValue("Location").orElseThrow();
        assertThat(check).startsWith("/.berth/check?tab=");

        HttpResponse<String> checked = onHost(adas, "GET", check, Map.of("Cookie", cookie));
        assertThat(checked.statusCode()).isEqualTo(303);
        assertThat(checked.headers().firstValue("Location")).hasValue("/ws/" + adas + "/");
        HttpResponse<String> file = onHost(adas, "GET", "/ws/" + adas + "/hello.txt", Map.of("Cookie", cookie));
        assertThat(file.statusCode())
                .as("strip mode: the upstream serves its / at the base path")
                .isEqualTo(200);
        assertThat(file.body()).isEqualTo("Ada's file\n");
        assertThat(file.headers().firstValue("Content-Security-Policy").orElseThrow())
                .as("framed by Berth and the platforms only")
                .startsWith("frame-ancestors " + baseUrl);
        assertThat(onHost(adas, "GET", "/ws/" + adas + "/", Map.of("Cookie", cookie))
                        .body())
                .as("the upstream's own / (a directory listing)")
                .contains("hello.txt");

        assertThat(onHost(adas, "GET", entry.getRawPath() + "?" + entry.getRawQuery(), Map.of())
                        .statusCode())
                .as("a token works once")
                .isEqualTo(400);
        String spare = check.substring(check.indexOf('=') + 1);
        assertThat(onHost(adas, "GET", "/.berth/enter?token=" + spare, Map.of()).statusCode())
                .as("the spare new-tab token is discarded once the cookie came back")
                .isEqualTo(400);
        String expired =
                tokens.mint(adas, WorkspaceAccess.ownerRef(EvilWorkspaces.personId(jdbc, "origin-ada")), Duration.ZERO);
        assertThat(onHost(adas, "GET", "/.berth/enter?token=" + expired, Map.of())
                        .statusCode())
                .as("an expired token")
                .isEqualTo(400);
        URI forBob = entryOf(berth("/workspaces/" + bobs + "/open?bsid=" + grace));
        HttpResponse<String> foreign = onHost(adas, "GET", forBob.getRawPath() + "?" + forBob.getRawQuery(), Map.of());
        assertThat(foreign.statusCode()).as("another workspace's token").isEqualTo(400);
        assertThat(foreign.body()).contains("This entry link has expired");
        assertThat(onHost(bobs, "GET", forBob.getRawPath() + "?" + forBob.getRawQuery(), Map.of())
                        .statusCode())
                .as("which a failed attempt elsewhere did not use up")
                .isEqualTo(303);
        assertThat(onHost(adas, "GET", "/.berth/enter?token=" + "A".repeat(43), Map.of())
                        .statusCode())
                .as("an unknown token")
                .isEqualTo(400);

        HttpResponse<String> anonymous = onHost(adas, "GET", "/ws/" + adas + "/hello.txt", Map.of());
        assertThat(anonymous.statusCode()).as("no cookie").isEqualTo(401);
        assertThat(anonymous.body())
                .contains("Open this workspace from Berth", baseUrl + "/workspaces/" + adas + "/open");
        assertThat(onHost(bobs, "GET", "/ws/" + bobs + "/", Map.of("Cookie", cookie))
                        .statusCode())
                .as("Ada's cookie on Bob's host")
                .isEqualTo(401);
        assertThat(onHost(adas, "GET", "/ws/" + adas + "/", Map.of("Cookie", cookie.replace("=", "=x")))
                        .statusCode())
                .as("a forged cookie")
                .isEqualTo(401);

        assertThat(berth("/workspaces/" + adas + "/open?bsid=" + bob).statusCode())
                .as("another student at /open")
                .isEqualTo(403);
        assertThat(berth("/workspaces/" + adas + "/open").statusCode())
                .as("no Berth session")
                .isEqualTo(401);
        for (UUID id : List.of(adas, bobs)) {
            String staffCookie = enter(id, grace);
            assertThat(onHost(id, "GET", "/ws/" + id + "/", Map.of("Cookie", staffCookie))
                            .statusCode())
                    .as("the instructor opens each student's workspace")
                    .isEqualTo(200);
        }

        assertThat(onHost(adas, "POST", "/ws/" + adas + "/x", Map.of("Cookie", cookie, "Origin", baseUrl))
                        .statusCode())
                .as("a post from Berth's origin (or any other but the workspace's)")
                .isEqualTo(403);
        assertThat(webSocketHandshake(adas, cookie, "https://attacker.example"))
                .as("a foreign page opening the workspace's WebSocket")
                .startsWith("HTTP/1.1 403");
        assertThat(webSocketHandshake(adas, cookie, baseUrl))
                .as("Berth's own origin is foreign to the workspace too")
                .startsWith("HTTP/1.1 403");

        for (String berthPage : List.of("/", "/courses/" + course, "/admin", "/workspaces/" + adas + "/open")) {
            HttpResponse<String> onWorkspaceHost =
                    onHost(adas, "GET", berthPage + "?bsid=" + ada, Map.of("Cookie", cookie));
            assertThat(onWorkspaceHost.body())
                    .as("Berth's page %s is not served on a workspace host", berthPage)
                    .doesNotContain("Signed in as", "Berth admin");
            assertThat(onWorkspaceHost.statusCode()).isIn(303, 404);
        }
        assertThat(onHost(adas, "GET", "/.berth/nothing", Map.of("Cookie", cookie))
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> oldLink = berth("/ws/" + adas + "/?bsid=" + ada);
        assertThat(oldLink.statusCode())
                .as("the workspace is not served on Berth's host")
                .isEqualTo(302);
        assertThat(oldLink.headers().firstValue("Location").orElseThrow()).contains("/workspaces/" + adas + "/open");

        String log = workspaces.logs(adas, 1 << 20);
        assertThat(log).as("what reached Ada's process").contains("REQUEST GET /hello.txt");
        assertThat(log)
                .as("no Berth credential ever reached Ada's process")
                .doesNotContain("BERTH_SESSION", "__Host-berth-ws", "token=", "bsid", ada, cookie);
    }

    @Test
    void whenTheCookieDoesNotComeBackTheFrameOffersToOpenTheWorkspaceInANewTab() throws Exception {
        String ada = launch(login -> TestLaunch.student(canvas, login).with("sub", "origin-ada"));
        UUID adas = start(EvilWorkspaces.personId(jdbc, "origin-ada"), EvilWorkspaces.latestCourseId(jdbc));
        URI entry = entryOf(berth("/workspaces/" + adas + "/open?bsid=" + ada));
        HttpResponse<String> entered = onHost(adas, "GET", entry.getRawPath() + "?" + entry.getRawQuery(), Map.of());
        String check = entered.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> blocked = onHost(adas, "GET", check, Map.of());

        assertThat(blocked.statusCode()).isEqualTo(200);
        assertThat(blocked.body())
                .contains("Your browser blocked this workspace in the frame", "Open in a new tab", "target=\"_blank\"");
        Matcher link = Pattern.compile("href=\"([^\"]*/\\.berth/enter\\?token=[^\"]+)\"")
                .matcher(blocked.body());
        assertThat(link.find())
                .as("a link into the workspace for a tab of its own")
                .isTrue();
        URI newTab = URI.create(link.group(1).replace("&amp;", "&"));
        assertThat(newTab.getHost()).isEqualTo("ws-" + adas + ".localhost");
        HttpResponse<String> inTab = onHost(adas, "GET", newTab.getRawPath() + "?" + newTab.getRawQuery(), Map.of());
        assertThat(inTab.statusCode()).as("the new tab enters").isEqualTo(303);
        assertThat(inTab.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("__Host-berth-ws=");

        String setCookie = inTab.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        EvilWorkspaces.stop(workspaces, adas);
        started.remove(adas);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> stopped;
        do {
            Thread.sleep(200);
            stopped = onHost(adas, "GET", "/ws/" + adas + "/", Map.of("Cookie", cookie));
        } while (stopped.statusCode() != 503 && System.nanoTime() < deadline);
        assertThat(stopped.statusCode()).as("a stopped workspace").isEqualTo(503);
        assertThat(stopped.body())
                .as("the gateway's own page, not Berth's error page")
                .contains("The workspace is not running", "Open the workspace from Berth")
                .doesNotContain("Signed in as");
    }

    private UUID start(long personId, long courseId) throws InterruptedException {
        UUID id = EvilWorkspaces.startFor(workspaces, personId, courseId);
        started.add(id);
        return id;
    }

    /** Enters the workspace through Berth as the session's viewer; the workspace session cookie. */
    private String enter(UUID id, String bsid) {
        URI entry = entryOf(berth("/workspaces/" + id + "/open?bsid=" + bsid));
        HttpResponse<String> entered = onHost(id, "GET", entry.getRawPath() + "?" + entry.getRawQuery(), Map.of());
        assertThat(entered.statusCode()).isEqualTo(303);
        String setCookie = entered.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static URI entryOf(HttpResponse<String> open) {
        assertThat(open.statusCode()).as(open.body()).isEqualTo(302);
        return URI.create(open.headers().firstValue("Location").orElseThrow());
    }

    private HttpResponse<String> berth(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
    }

    private HttpResponse<String> onHost(UUID id, String method, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Host", "ws-" + id + ".localhost:" + port)
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "x=1"));
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status line a WebSocket handshake to the workspace's host gets. */
    private String webSocketHandshake(UUID id, String cookie, String origin) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws/" + id + "/socket HTTP/1.1\r\n"
                            + "Host: ws-" + id + ".localhost:" + port + "\r\n"
                            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                            + "Origin: " + origin + "\r\nCookie: " + cookie + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().strip();
        }
    }

    private String launch(Function<LtiFlow.Login, TestLaunch> claims) {
        LtiFlow flow = new LtiFlow(baseUrl);
        LtiFlow.Login login = flow.login(canvas);
        HttpResponse<String> response = flow.launch(claims.apply(login).signed(), login.state());
        assertThat(response.statusCode()).isEqualTo(303);
        String location = response.headers().firstValue("Location").orElseThrow();
        Matcher bsid = Pattern.compile("[?&]bsid=([^&#]+)").matcher(location);
        assertThat(bsid.find())
                .as("the session in the landing URL: " + location)
                .isTrue();
        return URLEncoder.encode(
                java.net.URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
