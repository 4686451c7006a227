package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.terminal.PtyClient;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
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
import org.springframework.test.context.TestPropertySource;

/**
 * The first whole path of a workspace: a student launches, which starts the built-in terminal, and works in it
 * through Berth's gateway; only the owner and the course's staff get through. In single-origin mode, the documented
 * fallback (per-workspace origins: WorkspaceOriginsIntegrationTests).
 */
@BerthIntegrationTest
@TestPropertySource(properties = "berth.workspaces.origins.mode=single")
class WorkspaceGatewayIntegrationTests {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Workspaces workspaces;

    @Value("${berth.public-url}")
    String baseUrl;

    private TestPlatform canvas;
    private final List<UUID> started = new ArrayList<>();

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
    }

    @AfterEach
    void stopWhatWasStarted() throws InterruptedException {
        for (UUID id : started) {
            workspaces.stop(id);
            awaitState(id, WorkspaceState.STOPPED);
        }
    }

    @Test
    void studentStartsTheTerminalAndWorksInItThroughTheGatewayWhileOthersAreKeptOut() throws Exception {
        Session ada = launch(login -> TestLaunch.student(canvas, login));
        LtiFlow browser = new LtiFlow(baseUrl);

        HttpResponse<String> page = browser.get(ada.landing(), Map.of());
        assertThat(page.body()).as("the launch started the workspace").doesNotContain("Start workspace");
        Matcher status =
                Pattern.compile("/workspaces/([0-9a-f-]{36})/(status|open)").matcher(page.body());
        assertThat(status.find()).as("the assignment page shows the workspace").isTrue();
        UUID id = UUID.fromString(status.group(1));
        started.add(id);
        awaitRunning(browser, ada, id);

        assertThat(browser.get(ada.landing(), Map.of()).body())
                .contains("<iframe", "/workspaces/" + id + "/open?bsid=", "Open in a new tab");
        String workspacePath = "/ws/" + id + "/";
        HttpResponse<String> open = browser.get("/workspaces/" + id + "/open?bsid=" + ada.encodedId(), Map.of());
        assertThat(open.statusCode()).isEqualTo(302);
        assertThat(open.headers().firstValue("Location").orElseThrow()).contains(workspacePath + "?bsid=");
        HttpResponse<String> terminal = browser.get(workspacePath + "?bsid=" + ada.encodedId(), Map.of());
        assertThat(terminal.statusCode()).isEqualTo(200);
        assertThat(terminal.body()).contains("<title>Terminal</title>");

        URI pty = URI.create(baseUrl.replaceFirst("^http", "ws") + workspacePath + "pty?bsid=" + ada.encodedId());
        try (PtyClient shell = new PtyClient(pty)) {
            shell.type("echo hello > note.txt && cat note.txt\n");
            shell.await(Pattern.compile("(?m)^hello$"));
        }
        assertThatThrownBy(() -> HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .header("Origin", "https://attacker.example")
                        .buildAsync(pty, new WebSocket.Listener() {})
                        .join())
                .as("a foreign page cannot open the workspace's WebSocket with the viewer's session")
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class, refused -> assertThat(
                                refused.getResponse().statusCode())
                        .isEqualTo(403));
        assertThat(browser.post(
                                workspacePath + "?bsid=" + ada.encodedId(),
                                "x=1",
                                Map.of("Origin", "https://attacker.example"))
                        .statusCode())
                .as("nor post to it")
                .isEqualTo(403);

        Session bob = launch(login ->
                TestLaunch.student(canvas, login).with("sub", "student-bob").with("name", "Bob Builder"));
        assertThat(browser.get(workspacePath + "?bsid=" + bob.encodedId(), Map.of())
                        .statusCode())
                .as("another student")
                .isEqualTo(403);
        assertThat(browser.get("/workspaces/" + id + "/status?bsid=" + bob.encodedId(), Map.of())
                        .statusCode())
                .as("another student's view of the status")
                .isEqualTo(403);
        assertThat(browser.get(workspacePath, Map.of()).statusCode())
                .as("no session")
                .isEqualTo(401);

        Session grace = launch(login -> TestLaunch.instructor(canvas, login));
        HttpResponse<String> asStaff = browser.get(workspacePath + "?bsid=" + grace.encodedId(), Map.of());
        assertThat(asStaff.statusCode()).as("the course's instructor").isEqualTo(200);
        assertThat(asStaff.body()).contains("<title>Terminal</title>");
        assertThat(workspaces.find(id).orElseThrow().lastActivityAt()).isNotNull();

        HttpResponse<String> withoutSlash = browser.get("/ws/" + id + "?bsid=" + ada.encodedId(), Map.of());
        assertThat(withoutSlash.statusCode()).isEqualTo(302);
        assertThat(withoutSlash.headers().firstValue("Location").orElseThrow()).contains(workspacePath + "?bsid=");

        workspaces.stop(id);
        awaitState(id, WorkspaceState.STOPPED);
        assertThat(browser.get(workspacePath + "?bsid=" + ada.encodedId(), Map.of())
                        .statusCode())
                .as("a stopped workspace")
                .isEqualTo(503);
        assertThat(browser.get(ada.landing(), Map.of()).body())
                .as("the assignment page offers to start it again")
                .contains("Start workspace")
                .doesNotContain("<iframe");
    }

    private Session launch(Function<LtiFlow.Login, TestLaunch> claims) {
        LtiFlow flow = new LtiFlow(baseUrl);
        LtiFlow.Login login = flow.login(canvas);
        HttpResponse<String> response = flow.launch(claims.apply(login).signed(), login.state());
        assertThat(response.statusCode()).isEqualTo(303);
        String location = response.headers().firstValue("Location").orElseThrow();
        Matcher bsid = Pattern.compile("[?&]bsid=([^&#]+)").matcher(location);
        assertThat(bsid.find())
                .as("the session in the landing URL: " + location)
                .isTrue();
        return new Session(location, java.net.URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8));
    }

    private void awaitRunning(LtiFlow browser, Session session, UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = browser.get(
                    "/workspaces/" + id + "/status?bsid=" + session.encodedId(), Map.of("Accept", "application/json"));
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            last = status.body();
            if (last.contains("\"state\":\"RUNNING\"")) {
                return;
            }
            assertThat(last).as("the workspace failed").doesNotContain("\"state\":\"FAILED\"");
            Thread.sleep(200);
        }
        fail("The terminal workspace was not RUNNING within " + START_LIMIT + "; last status: " + last);
    }

    private void awaitState(UUID id, WorkspaceState state) throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Workspace workspace = workspaces.find(id).orElseThrow();
            if (workspace.state() == state) {
                return;
            }
            Thread.sleep(100);
        }
        fail("Workspace " + id + " did not reach " + state + " within " + START_LIMIT);
    }

    record Session(String landing, String id) {
        String encodedId() {
            return URLEncoder.encode(id, StandardCharsets.UTF_8);
        }
    }
}
