package dev.berth.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.LtiClaims;
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
import dev.berth.testing.WorkspaceEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * The student page (issue 4, point 6): the assignment's environment (LTI custom parameter, staff choice), the
 * workspace started by the launch, its steps streamed live, restart, the error panel, and a second launch that
 * finds the same files.
 */
@BerthIntegrationTest
class StudentPageIntegrationTests {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Pattern WORKSPACE = Pattern.compile("/workspaces/([0-9a-f-]{36})/(?:status|open|events)");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Workspaces workspaces;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.public-url}")
    String baseUrl;

    @Value("${berth.data-dir}")
    String dataDir;

    private TestPlatform canvas;
    private final Set<UUID> started = new LinkedHashSet<>();

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
    }

    @AfterEach
    void stopWhatWasStarted() throws InterruptedException {
        for (UUID id : started) {
            workspaces.stop(id);
        }
        for (UUID id : started) {
            awaitState(id, WorkspaceState.STOPPED, WorkspaceState.FAILED);
        }
    }

    @Test
    void learnerLaunchStartsTheTerminalByDefaultAndStaffLaunchStartsNothing() throws Exception {
        Session grace = launch(login -> TestLaunch.instructor(canvas, login).with("sub", "teacher-only-1"));
        assertThat(ownedBy(grace)).as("a staff launch starts no workspace").isEmpty();

        Session ada = launch(login -> TestLaunch.student(canvas, login).with("sub", "student-default-1"));
        List<Workspace> mine = ownedBy(ada);
        assertThat(mine).as("the learner's launch asked for their workspace").hasSize(1);
        started.add(mine.getFirst().id());
        assertThat(mine.getFirst().environmentKey()).isEqualTo("terminal");
        assertThat(mine.getFirst().desiredState()).isEqualTo(WorkspaceState.RUNNING);

        String page = ada.browser().get(ada.landing(), Map.of()).body();
        assertThat(page).as("no start button: it is starting").doesNotContain("Start workspace");
        awaitState(mine.getFirst().id(), WorkspaceState.RUNNING);
        String running = ada.browser().get(ada.landing(), Map.of()).body();
        assertThat(running)
                .as("the full-size IDE page")
                .contains(
                        "class=\"ide-frame\"", "/workspaces/" + mine.getFirst().id() + "/open?bsid=")
                .contains("Open in a new tab", "Restart", "Reset to starter files…", "id=\"starter-reset-dialog\"")
                .doesNotContain("/ws/");
    }

    @Test
    void theCustomParameterChoosesTheEnvironmentAndAMissingCommandShowsTheErrorPanelWithAReference() throws Exception {
        Session ada = launch(login -> TestLaunch.student(canvas, login)
                .with("sub", "student-rstudio-1")
                .with(LtiClaims.RESOURCE_LINK, Map.of("id", "link-r", "title", "Lab R"))
                .with(LtiClaims.CUSTOM, Map.of("environment", "rstudio")));
        Workspace workspace = ownedBy(ada).getFirst();
        started.add(workspace.id());
        assertThat(workspace.environmentKey()).isEqualTo("rstudio");
        assertThat(environmentOf("link-r")).isEqualTo("rstudio");

        awaitState(workspace.id(), WorkspaceState.FAILED);
        String page = ada.browser().get(ada.landing(), Map.of()).body();
        Matcher reference =
                Pattern.compile("quote reference (W-[0-9a-f]{8}-\\d+)").matcher(page);
        assertThat(reference.find()).as("an error reference on: " + page).isTrue();
        assertThat(reference.group(1))
                .startsWith("W-" + workspace.id().toString().substring(0, 8));
        assertThat(page)
                .contains("Your workspace could not start", "is not installed on this machine", "Try again")
                .doesNotContain("<iframe");

        String csrf = csrf(page);
        HttpResponse<String> retry = ada.browser()
                .post(ada.path() + "/workspace?bsid=" + ada.encodedId(), LtiFlow.form(Map.of("_csrf", csrf)), Map.of());
        assertThat(retry.statusCode()).as("try again: post/redirect/get").isBetween(300, 399);
        assertThat(workspaces.events(workspace.id(), 0))
                .as("try again asked for another start")
                .filteredOn(e -> e.kind().equals("requested"))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void anUnknownEnvironmentKeepsTheDefaultNeverFailsTheLaunchAndStaffAreTold() throws Exception {
        Session ada = launch(login -> TestLaunch.student(canvas, login)
                .with("sub", "student-unknown-1")
                .with(LtiClaims.RESOURCE_LINK, Map.of("id", "link-cobol", "title", "Lab COBOL"))
                .with(LtiClaims.CUSTOM, Map.of("environment", "cobol-85")));
        Workspace workspace = ownedBy(ada).getFirst();
        started.add(workspace.id());
        assertThat(workspace.environmentKey()).as("the default").isEqualTo("terminal");
        assertThat(environmentOf("link-cobol")).isEqualTo("terminal");

        Session grace = launch(login -> TestLaunch.instructor(canvas, login)
                .with("sub", "teacher-unknown-1")
                .with(LtiClaims.RESOURCE_LINK, Map.of("id", "link-cobol", "title", "Lab COBOL")));
        String staffPage = grace.browser()
                .get(ada.path() + "?bsid=" + grace.encodedId(), Map.of())
                .body();
        assertThat(staffPage).contains("asks for the environment &quot;cobol-85&quot;, which is not available here");
        assertThat(ada.browser().get(ada.landing(), Map.of()).body())
                .as("students do not see the staff notice")
                .doesNotContain("cobol-85");
    }

    @Test
    void staffChooseTheEnvironmentWithCsrfTheChoiceIsAuditedAndOutlastsTheLaunchParameter() throws Exception {
        Function<LtiFlow.Login, TestLaunch> grace = login -> TestLaunch.instructor(canvas, login)
                .with("sub", "teacher-choose-1")
                .with(LtiClaims.RESOURCE_LINK, Map.of("id", "link-choose", "title", "Lab choose"))
                .with(LtiClaims.CUSTOM, Map.of("environment", "terminal"));
        Session staff = launch(grace);
        long assignmentId = assignmentId("link-choose");
        long courseId = jdbc.sql("SELECT course_id FROM assignment WHERE id = ?")
                .param(assignmentId)
                .query(Long.class)
                .single();
        String path = "/courses/" + courseId + "/assignments/" + assignmentId;
        String page = staff.browser()
                .get(path + "?bsid=" + staff.encodedId(), Map.of())
                .body();
        assertThat(page).contains("Students of this assignment work in", "<option value=\"jupyter\"");

        String action = path + "/environment?bsid=" + staff.encodedId();
        assertThat(staff.browser()
                        .post(action, LtiFlow.form(Map.of("environment", "jupyter")), Map.of())
                        .statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        String csrf = csrf(page);
        assertThat(staff.browser()
                        .post(action, LtiFlow.form(Map.of("_csrf", csrf, "environment", "no-such-env")), Map.of())
                        .statusCode())
                .as("an unknown environment")
                .isEqualTo(400);
        assertThat(environmentOf("link-choose")).isEqualTo("terminal");

        HttpResponse<String> saved =
                staff.browser().post(action, LtiFlow.form(Map.of("_csrf", csrf, "environment", "jupyter")), Map.of());
        assertThat(saved.statusCode()).isBetween(300, 399);
        assertThat(environmentOf("link-choose")).isEqualTo("jupyter");
        assertThat(jdbc.sql("SELECT count(*) FROM audit WHERE action = 'assignment.environment' AND target = ?")
                        .param("assignment:" + assignmentId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        launch(grace);
        assertThat(environmentOf("link-choose"))
                .as("the launch parameter no longer overrides staff")
                .isEqualTo("jupyter");

        Session ada = launch(login -> TestLaunch.student(canvas, login)
                .with("sub", "student-choose-1")
                .with(LtiClaims.RESOURCE_LINK, Map.of("id", "link-choose", "title", "Lab choose")));
        Workspace jupyter = ownedBy(ada).getFirst();
        started.add(jupyter.id());
        assertThat(jupyter.environmentKey())
                .as("the launch started the chosen environment")
                .isEqualTo("jupyter");
        awaitState(jupyter.id(), WorkspaceState.RUNNING);
        String studentCsrf = csrf(ada.browser().get(ada.landing(), Map.of()).body());
        assertThat(ada.browser()
                        .post(
                                path + "/environment?bsid=" + ada.encodedId(),
                                LtiFlow.form(Map.of("_csrf", studentCsrf, "environment", "terminal")),
                                Map.of())
                        .statusCode())
                .as("a student cannot change it")
                .isEqualTo(403);
        assertThat(environmentOf("link-choose")).isEqualTo("jupyter");
    }

    @Test
    void theEventStreamSendsTheStepsInOrderEndsWhenRunningResumesAfterLastEventIdAndKeepsOthersOut() throws Exception {
        Session ada = launch(login -> TestLaunch.student(canvas, login).with("sub", "student-sse-1"));
        UUID id = ownedBy(ada).getFirst().id();
        started.add(id);
        String events = "/workspaces/" + id + "/events?bsid=" + ada.encodedId();

        List<Sse> stream = readStream(events, Map.of(), LIMIT);
        assertThat(stream.getFirst().name())
                .as("the first event is always the state")
                .isEqualTo("state");
        List<Long> ids = stream.stream()
                .filter(e -> e.name().equals("step"))
                .map(e -> Long.parseLong(e.id()))
                .toList();
        assertThat(ids).as("steps in timeline order").isSorted().doesNotHaveDuplicates();
        String text = String.join("\n", stream.stream().map(Sse::data).toList());
        assertThat(text)
                .contains("Workspace created", "Preparing the home folder", "Starting the environment", "Ready");
        assertThat(stream.getLast().name()).isEqualTo("state");
        assertThat(stream.getLast().data())
                .as("the stream ends once the IDE can be shown")
                .contains("\"view\":\"IDE\"");

        long middle = ids.get(ids.size() / 2);
        List<Sse> resumed = readStream(events, Map.of("Last-Event-ID", Long.toString(middle)), LIMIT);
        assertThat(resumed.stream().filter(e -> e.name().equals("step")).map(e -> Long.parseLong(e.id())))
                .as("only what came after Last-Event-ID")
                .allMatch(eventId -> eventId > middle)
                .isNotEmpty();

        Session bob = launch(login -> TestLaunch.student(canvas, login)
                .with("sub", "student-sse-2")
                .with(LtiClaims.RESOURCE_LINK, Map.of("id", "link-sse-b", "title", "Other")));
        started.addAll(ownedBy(bob).stream().map(Workspace::id).toList());
        assertThat(bob.browser()
                        .get("/workspaces/" + id + "/events?bsid=" + bob.encodedId(), Map.of())
                        .statusCode())
                .as("another student")
                .isEqualTo(403);
        assertThat(new LtiFlow(baseUrl)
                        .get("/workspaces/" + id + "/events", Map.of())
                        .statusCode())
                .as("no session")
                .isEqualTo(401);
        Session grace = launch(login -> TestLaunch.instructor(canvas, login).with("sub", "teacher-sse-1"));
        assertThat(readStream("/workspaces/" + id + "/events?bsid=" + grace.encodedId(), Map.of(), LIMIT))
                .as("the course's staff")
                .isNotEmpty();
    }

    @Test
    void restartShowsTheStepsAgainAndReturnsToTheIde() throws Exception {
        Session ada = launch(login -> TestLaunch.student(canvas, login).with("sub", "student-restart-1"));
        UUID id = ownedBy(ada).getFirst().id();
        started.add(id);
        awaitState(id, WorkspaceState.RUNNING);
        String ide = ada.browser().get(ada.landing(), Map.of()).body();
        long before = workspaces.events(id, 0).getLast().id();

        HttpResponse<String> restart = ada.browser()
                .post(
                        ada.path() + "/workspace/restart?bsid=" + ada.encodedId(),
                        LtiFlow.form(Map.of("_csrf", csrf(ide))),
                        Map.of());
        assertThat(restart.statusCode()).isBetween(300, 399);
        String page = ada.browser().get(ada.landing(), Map.of()).body();
        assertThat(page)
                .as("progress again, not the old IDE")
                .contains("class=\"steps\"")
                .doesNotContain("ide-frame");

        List<Sse> stream = readStream(
                "/workspaces/" + id + "/events?after=" + before + "&bsid=" + ada.encodedId(), Map.of(), LIMIT);
        String text = String.join("\n", stream.stream().map(Sse::data).toList());
        assertThat(text).contains("Restart requested", "Stopping the environment", "Starting the environment", "Ready");
        assertThat(stream.getLast().data()).contains("\"view\":\"IDE\"");
        assertThat(ada.browser().get(ada.landing(), Map.of()).body()).contains("ide-frame");
    }

    @Test
    void aSecondLaunchResumesTheSameWorkspaceWithItsFiles() throws Exception {
        Function<LtiFlow.Login, TestLaunch> ada =
                login -> TestLaunch.student(canvas, login).with("sub", "student-resume-1");
        Session first = launch(ada);
        UUID id = ownedBy(first).getFirst().id();
        started.add(id);
        awaitState(id, WorkspaceState.RUNNING);
        try (PtyClient shell = terminal(id, first)) {
            shell.type("echo kept > resume.txt && cat resume.txt\n");
            shell.await(Pattern.compile("(?m)^kept$"));
        }
        workspaces.stop(id);
        awaitState(id, WorkspaceState.STOPPED);

        Session second = launch(ada);
        assertThat(ownedBy(second))
                .extracting(Workspace::id)
                .as("the same workspace")
                .containsExactly(id);
        awaitState(id, WorkspaceState.RUNNING);
        Path home = Path.of(dataDir, "workspaces", id.toString(), "home", "resume.txt");
        assertThat(Files.readString(home).strip()).isEqualTo("kept");
        try (PtyClient shell = terminal(id, second)) {
            shell.type("cat resume.txt\n");
            shell.await(Pattern.compile("(?m)^kept$"));
        }
    }

    @Test
    void warmLaunchesOfARunningWorkspaceAddNothingToItsTimelineAndLandOnTheIde() throws Exception {
        Function<LtiFlow.Login, TestLaunch> ada =
                login -> TestLaunch.student(canvas, login).with("sub", "student-warm-1");
        Session first = launch(ada);
        UUID id = ownedBy(first).getFirst().id();
        started.add(id);
        awaitState(id, WorkspaceState.RUNNING);
        int timeline = workspaces.events(id, 0).size();

        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long begin = System.nanoTime();
            Session again = launch(ada);
            HttpResponse<String> page = again.browser().get(again.landing(), Map.of());
            micros.add((System.nanoTime() - begin) / 1000);
            assertThat(page.body()).contains("ide-frame");
        }
        assertThat(workspaces.events(id, 0)).as("no request, no step: one read").hasSize(timeline);
        List<Long> sorted = micros.stream().skip(10).sorted().toList();
        System.out.printf(
                "Warm launch to IDE page (login + launch + page, %d runs after 10 warm-ups): p50 %.1f ms, p99 %.1f ms%n",
                sorted.size(),
                sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0);
    }

    // --- helpers

    /**
     * The terminal's WebSocket as the IDE frame opens it: entered through {@code /workspaces/{id}/open} with the
     * session, then on the workspace's own host with the workspace cookie and that host's Origin.
     */
    private PtyClient terminal(UUID id, Session session) throws IOException, InterruptedException {
        WorkspaceEntry entry = new WorkspaceEntry();
        HttpResponse<String> page = entry.follow(baseUrl + "/workspaces/" + id + "/open?bsid=" + session.encodedId());
        assertThat(page.statusCode())
                .as("the terminal's page on the workspace's host")
                .isEqualTo(200);
        int port = URI.create(baseUrl).getPort();
        String host = "ws-" + id + ".localhost";
        String cookie = entry.cookieHeader(host);
        assertThat(cookie).as("the workspace cookie").startsWith("__Host-berth-ws=");
        return new PtyClient(
                URI.create("ws://127.0.0.1:" + port + "/ws/" + id + "/pty"),
                Map.of("Host", host + ":" + port, "Origin", "http://" + host + ":" + port, "Cookie", cookie));
    }

    private List<Workspace> ownedBy(Session session) {
        return workspaces.inScope("course:" + session.courseId()).stream()
                .filter(w -> w.ownerRef().equals("person:" + session.personId()))
                .toList();
    }

    private String environmentOf(String resourceLinkId) {
        return jdbc.sql("""
                        SELECT coalesce(e.key, 'terminal') FROM assignment a
                        LEFT JOIN environment e ON e.id = a.environment_id WHERE a.resource_link_id = ?""").param(resourceLinkId).query(String.class).single();
    }

    private long assignmentId(String resourceLinkId) {
        return jdbc.sql("SELECT id FROM assignment WHERE resource_link_id = ?")
                .param(resourceLinkId)
                .query(Long.class)
                .single();
    }

    private static String csrf(String page) {
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).as("a CSRF token on the page").isTrue();
        return csrf.group(1);
    }

    private Session launch(Function<LtiFlow.Login, TestLaunch> claims) {
        LtiFlow flow = new LtiFlow(baseUrl);
        LtiFlow.Login login = flow.login(canvas);
        HttpResponse<String> response = flow.launch(claims.apply(login).signed(), login.state());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        String location = response.headers().firstValue("Location").orElseThrow();
        Matcher bsid = Pattern.compile("[?&]bsid=([^&#]+)").matcher(location);
        assertThat(bsid.find())
                .as("the session in the landing URL: " + location)
                .isTrue();
        String sessionId = URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8);
        String encoded = URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
        LtiFlow browser = new LtiFlow(baseUrl);
        String landing = location.replaceFirst("^https?://[^/]+", "");
        String sub = (String) claims.apply(login).claims().getClaim("sub");
        long personId = jdbc.sql("SELECT id FROM person WHERE subject = ? ORDER BY id DESC LIMIT 1")
                .param(sub)
                .query(Long.class)
                .single();
        Matcher course = Pattern.compile("^/courses/(\\d+)").matcher(landing);
        assertThat(course.find()).as(landing).isTrue();
        return new Session(browser, landing, sessionId, personId, Long.parseLong(course.group(1)));
    }

    private void awaitState(UUID id, WorkspaceState... states) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        Workspace last = null;
        while (System.nanoTime() < deadline) {
            last = workspaces.find(id).orElseThrow();
            if (List.of(states).contains(last.state()) && last.settled()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("Workspace " + id + " did not reach " + List.of(states) + " within " + LIMIT + ": " + last);
    }

    record Sse(String id, String name, String data) {}

    /** Reads a server-sent event stream until the server ends it. */
    private List<Sse> readStream(String pathAndQuery, Map<String, String> headers, Duration limit) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header("Accept", "text/event-stream")
                .timeout(limit);
        headers.forEach(request::header);
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<List<Sse>> events = CompletableFuture.supplyAsync(() -> parse(response.body()));
        return events.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static List<Sse> parse(InputStream body) {
        List<Sse> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Map<String, String> fields = new HashMap<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (fields.containsKey("data")) {
                        events.add(
                                new Sse(fields.get("id"), fields.getOrDefault("event", "message"), fields.get("data")));
                    }
                    fields.clear();
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    fields.merge(field, value, (a, b) -> a + "\n" + b);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    record Session(LtiFlow browser, String landing, String id, long personId, long courseId) {
        String encodedId() {
            return URLEncoder.encode(id, StandardCharsets.UTF_8);
        }

        /** The assignment page without its query. */
        String path() {
            int query = landing.indexOf('?');
            return query < 0 ? landing : landing.substring(0, query);
        }
    }
}
