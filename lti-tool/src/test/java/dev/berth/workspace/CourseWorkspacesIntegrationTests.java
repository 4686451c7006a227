package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.LtiClaims;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.HomeSizes;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The instructor's side of workspaces: the course page's table, per-learner and course-wide actions with their
 * progress, the logs page, and that nobody but the course's own staff can do any of it.
 */
@BerthIntegrationTest
class CourseWorkspacesIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Workspaces workspaces;

    @Autowired
    HomeSizes homeSizes;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.public-url}")
    String baseUrl;

    @Value("${berth.data-dir}")
    Path dataDir;

    private TestPlatform canvas;
    private String contextId;
    private final List<String> scopes = new ArrayList<>();
    private String terminalCommand;
    private String terminalHealthPath;
    private boolean terminalEnabled;

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
        contextId = "course-" + UUID.randomUUID();
        terminalCommand = jdbc.sql("SELECT local_command::text FROM environment WHERE key = 'terminal'")
                .query(String.class)
                .optional()
                .orElse(null);
        terminalHealthPath = jdbc.sql("SELECT health_path FROM environment WHERE key = 'terminal'")
                .query(String.class)
                .single();
        terminalEnabled = jdbc.sql("SELECT enabled FROM environment WHERE key = 'terminal'")
                .query(Boolean.class)
                .single();
    }

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (String scope : scopes) {
            for (Workspace workspace : workspaces.inScope(scope)) {
                if (workspace.desiredState() == WorkspaceState.RUNNING) {
                    workspaces.stop(workspace.id());
                }
            }
            await("every workspace of " + scope + " stopped", () -> workspaces.inScope(scope).stream()
                    .allMatch(w -> w.state() == WorkspaceState.STOPPED || w.state() == WorkspaceState.FAILED));
        }
        jdbc.sql("UPDATE environment SET local_command = ?::jsonb, health_path = ?, enabled = ? WHERE key = 'terminal'")
                .params(terminalCommand, terminalHealthPath, terminalEnabled)
                .update();
    }

    @Test
    void staffSeeEveryLearnerWithStateActivityAndHomeSizeAndStartStopAndRestartOne() throws Exception {
        Session grace = launch("teacher-grace", "Grace Hopper", TestLaunch.INSTRUCTOR);
        Session ada = launch("student-ada", "Ada Lovelace", TestLaunch.LEARNER);
        // Bob launches while an admin has the terminal disabled: his launch cannot start a workspace, so he is a
        // learner of the course without one (Ada's launch started hers).
        jdbc.sql("UPDATE environment SET enabled = false WHERE key = 'terminal'")
                .update();
        Session bob = launch("student-bob", "Bob Builder", TestLaunch.LEARNER);
        jdbc.sql("UPDATE environment SET enabled = true WHERE key = 'terminal'").update();
        String course = "/courses/" + grace.courseId();
        String scope = "course:" + grace.courseId();
        scopes.add(scope);
        Workspace adas = workspaces
                .find("person:" + ada.personId(), scope, "terminal")
                .orElseThrow(() -> new AssertionError("Ada's launch started her workspace"));
        assertThat(workspaces.find("person:" + bob.personId(), scope, "terminal"))
                .as("Bob's launch found the terminal disabled")
                .isEmpty();

        String page = grace.get(course).body();
        assertThat(page)
                .contains("Workspaces", "Ada Lovelace", "Bob Builder", "Start all", "Stop all")
                .doesNotContain("Grace Hopper</span>\n            <span class=\"badge badge-staff\"");
        assertThat(rowOf(page, "Ada Lovelace"))
                .as("the workspace Ada's launch started")
                .containsPattern("data-state=\"(PROVISIONING|STARTING|RUNNING)\"")
                .contains(course + "/workspaces/" + adas.id() + "/logs")
                .doesNotContain("name=\"personId\"");
        assertThat(rowOf(page, "Bob Builder"))
                .contains("data-state=\"NONE\"", "Not started")
                .contains("name=\"personId\"");

        HttpResponse<String> started = grace.post(
                course + "/workspaces/start",
                Map.of("personId", Long.toString(bob.personId()), "environment", "terminal"));
        assertThat(started.statusCode()).as("post/redirect/get").isEqualTo(302);
        assertThat(started.headers().firstValue("Location").orElseThrow()).contains(course, "#workspaces");
        Workspace bobs = workspaces
                .find("person:" + bob.personId(), scope, "terminal")
                .orElseThrow(() -> new AssertionError("staff started Bob's workspace"));
        awaitState(bobs.id(), WorkspaceState.RUNNING);
        awaitState(adas.id(), WorkspaceState.RUNNING);
        Path home = dataDir.resolve("workspaces").resolve(adas.id().toString()).resolve("home");
        Files.write(home.resolve("big.bin"), new byte[12_400_000]);
        await("Ada's home measured", () -> {
            homeSizes.measureDue();
            return jdbc.sql("SELECT home_bytes FROM workspace WHERE id = ?")
                    .param(adas.id())
                    .query(Long.class)
                    .optional()
                    .filter(bytes -> bytes >= 12_400_000)
                    .isPresent();
        });

        page = grace.get(course).body();
        assertThat(rowOf(page, "Ada Lovelace"))
                .contains("Running", "12.4 MB", "just now", "/workspaces/" + adas.id() + "/open?bsid=")
                .contains(course + "/workspaces/" + adas.id() + "/logs")
                .contains(course + "/workspaces/" + adas.id() + "/stop")
                .contains(course + "/workspaces/" + adas.id() + "/restart");
        assertThat(rowOf(page, "Bob Builder"))
                .contains("Running", "/workspaces/" + bobs.id() + "/open?bsid=")
                .doesNotContain("Not started", "name=\"personId\"");

        assertThat(grace.post(course + "/workspaces/" + adas.id() + "/restart", Map.of())
                        .statusCode())
                .isEqualTo(302);
        await("a restart through stop and start", () -> {
            List<String> timeline = messages(adas.id());
            return timeline.subList(timeline.indexOf("Restart requested"), timeline.size())
                    .contains("Ready");
        });
        assertThat(grace.post(course + "/workspaces/" + adas.id() + "/stop", Map.of())
                        .statusCode())
                .isEqualTo(302);
        assertThat(workspaces.find(adas.id()).orElseThrow().desiredState()).isEqualTo(WorkspaceState.STOPPED);
        awaitState(adas.id(), WorkspaceState.STOPPED);
        assertThat(grace.post(course + "/workspaces/" + adas.id() + "/start", Map.of())
                        .statusCode())
                .isEqualTo(302);
        assertThat(workspaces.find(adas.id()).orElseThrow().desiredState()).isEqualTo(WorkspaceState.RUNNING);
        awaitState(adas.id(), WorkspaceState.RUNNING);
        assertThat(messages(adas.id()))
                .containsSubsequence(
                        "Workspace created",
                        "Ready",
                        "Restart requested",
                        "Stopped; files kept",
                        "Ready",
                        "Stop requested",
                        "Stopped; files kept",
                        "Start requested",
                        "Ready");

        assertThat(audit("person:" + grace.personId()))
                .as("who did what, newest first")
                .startsWith(
                        "workspace.start workspace:" + adas.id(),
                        "workspace.stop workspace:" + adas.id(),
                        "workspace.restart workspace:" + adas.id(),
                        "workspace.start workspace:" + bobs.id());

        HttpResponse<String> logs = grace.get(course + "/workspaces/" + adas.id() + "/logs");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body())
                .contains("Workspace of Ada Lovelace", "Output (last 64 KiB)", "Timeline", "Restart requested")
                .contains("<pre class=\"log\"");
        assertThat(logOutput(logs.body()))
                .as("the terminal server's own output")
                .isNotBlank();
        assertThat(bob.get(course).statusCode()).isEqualTo(403);
    }

    @Test
    void learnersAndOtherCoursesStaffAreRefusedEveryStaffActionAndNothingChanges() throws Exception {
        Session grace = launch("teacher-grace", "Grace Hopper", TestLaunch.INSTRUCTOR);
        Session ada = launch("student-ada", "Ada Lovelace", TestLaunch.LEARNER);
        String course = "/courses/" + grace.courseId();
        scopes.add("course:" + grace.courseId());
        UUID id = workspaces
                .find("person:" + ada.personId(), "course:" + grace.courseId(), "terminal")
                .orElseThrow(() -> new AssertionError("Ada's launch started her workspace"))
                .id();
        awaitState(id, WorkspaceState.RUNNING);

        String otherContext = contextId;
        contextId = "course-" + UUID.randomUUID();
        Session otherStaff = launch("teacher-linus", "Linus Torvalds", TestLaunch.INSTRUCTOR);
        contextId = otherContext;
        assertThat(otherStaff.courseId()).isNotEqualTo(grace.courseId());

        long auditBefore = count("audit");
        int versionBefore = workspaces.find(id).orElseThrow().version();
        List<String> posts = List.of(
                course + "/workspaces/" + id + "/stop",
                course + "/workspaces/" + id + "/restart",
                course + "/workspaces/" + id + "/start",
                course + "/workspaces/start",
                course + "/workspaces/start-all",
                course + "/workspaces/stop-all");
        List<String> gets = List.of(course, course + "/workspaces/progress", course + "/workspaces/" + id + "/logs");
        for (Session stranger : List.of(ada, otherStaff)) {
            for (String path : posts) {
                assertThat(stranger.post(path, Map.of("personId", Long.toString(ada.personId())))
                                .statusCode())
                        .as(stranger.name() + " POST " + path)
                        .isEqualTo(403);
            }
            for (String path : gets) {
                assertThat(stranger.get(path).statusCode())
                        .as(stranger.name() + " GET " + path)
                        .isEqualTo(403);
            }
        }
        String othersCourse = "/courses/" + otherStaff.courseId();
        assertThat(otherStaff
                        .post(othersCourse + "/workspaces/" + id + "/stop", Map.of())
                        .statusCode())
                .as("another course's workspace through one's own course")
                .isEqualTo(404);
        assertThat(otherStaff.get(othersCourse + "/workspaces/" + id + "/logs").statusCode())
                .isEqualTo(404);
        assertThat(otherStaff
                        .post(othersCourse + "/workspaces/start", Map.of("personId", Long.toString(ada.personId())))
                        .statusCode())
                .as("starting a workspace for someone who is not in one's course")
                .isEqualTo(404);
        assertThat(grace.post(course + "/workspaces/start-all", Map.of("environment", "rstudio"))
                        .statusCode())
                .as("an environment the course does not use")
                .isEqualTo(400);
        assertThat(grace.get(course + "/workspaces/progress?direction=sideways").statusCode())
                .isEqualTo(400);
        assertThat(grace.post(course + "/workspaces/not-a-uuid/stop", Map.of()).statusCode())
                .isEqualTo(400);
        assertThat(anonymous()
                        .post(course + "/workspaces/" + id + "/stop", "", Map.of())
                        .statusCode())
                .as("no session")
                .isIn(401, 403);

        assertThat(count("audit")).as("audit entries").isEqualTo(auditBefore);
        Workspace after = workspaces.find(id).orElseThrow();
        assertThat(after.version()).as("the workspace was not touched").isEqualTo(versionBefore);
        assertThat(after.desiredState()).isEqualTo(WorkspaceState.RUNNING);
        assertThat(workspaces.inScope("course:" + otherStaff.courseId())).isEmpty();
    }

    @Test
    void stopAllStopsFiftyLearnersLaunchedWorkspacesAndStartAllBringsThemBackWithProgress() throws Exception {
        // Fifty of Berth's terminal JVMs would not fit a small CI machine next to the tests; the engine and the
        // pages are the same for any command, so the course's terminal runs Python's tiny HTTP server here.
        jdbc.sql("""
                        UPDATE environment SET local_command =
                          '["python3", "-m", "http.server", "--bind", "127.0.0.1", "{port}"]'::jsonb,
                          health_path = '/'
                        WHERE key = 'terminal'""").update();
        Session grace = launch("teacher-grace", "Grace Hopper", TestLaunch.INSTRUCTOR);
        String course = "/courses/" + grace.courseId();
        String scope = "course:" + grace.courseId();
        scopes.add(scope);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Session>> learners = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            learners.add(pool.submit(() -> launch("learner-" + n, "Learner " + n, TestLaunch.LEARNER)));
        }
        for (Future<Session> learner : learners) {
            learner.get();
        }
        pool.shutdown();
        assertThat(workspaces.inScope(scope))
                .as("each learner's launch asked for their workspace to run")
                .hasSize(50)
                .allMatch(w -> w.desiredState() == WorkspaceState.RUNNING);

        HttpResponse<String> stopAll = grace.post(course + "/workspaces/stop-all", Map.of());
        assertThat(stopAll.headers().firstValue("Location").orElseThrow()).contains(course + "?bulk=stop");
        assertThat(workspaces.inScope(scope)).allMatch(w -> w.desiredState() == WorkspaceState.STOPPED);
        await(
                "all stopped, as the progress reports",
                () -> grace.get(course + "/workspaces/progress").body().contains("\"done\":true"));
        assertThat(grace.get(course + "/workspaces/progress?direction=stop").body())
                .contains("\"total\":50", "\"stopped\":50", "50 of 50 stopped, 0 stopping, 0 failed");
        assertThat(workspaces.inScope(scope)).allMatch(w -> w.state() == WorkspaceState.STOPPED);

        HttpResponse<String> startAll = grace.post(course + "/workspaces/start-all", Map.of("environment", "terminal"));
        assertThat(startAll.statusCode()).isEqualTo(302);
        assertThat(startAll.headers().firstValue("Location").orElseThrow()).contains(course + "?bulk=start");
        assertThat(workspaces.inScope(scope)).hasSize(50);
        assertThat(grace.get(course + "?bulk=start").body())
                .as("the progress panel, also after a reload")
                .contains("id=\"workspace-progress\"", "Starting all workspaces", " of 50 running");

        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (seen.isEmpty() || !seen.getLast().contains("\"done\":true")) {
            if (System.nanoTime() > deadline) {
                fail("Not all 50 RUNNING after " + PATIENCE + "; progress: " + seen.getLast() + "; states: "
                        + workspaces.inScope(scope).stream()
                                .map(w -> w.state() + (w.failure() == null ? "" : " " + w.failure()))
                                .distinct()
                                .toList());
            }
            seen.add(grace.get(course + "/workspaces/progress?direction=start").body());
            Thread.sleep(200);
        }
        String done = seen.getLast();
        assertThat(done)
                .contains("\"total\":50", "\"running\":50", "\"starting\":0", "\"queued\":0", "\"failed\":0")
                .contains("\"percent\":100", "50 of 50 running, 0 starting, 0 queued, 0 failed");
        assertThat(workspaces.inScope(scope)).allMatch(w -> w.state() == WorkspaceState.RUNNING);
        assertThat(seen.getFirst()).as("the first poll, while starting").contains("\"total\":50");

        assertThat(audit("person:" + grace.personId()))
                .startsWith("course.workspaces.start-all " + scope, "course.workspaces.stop-all " + scope);
        assertThat(jdbc.sql("SELECT details->>'learners' FROM audit WHERE action = 'course.workspaces.start-all'"
                                + " AND target = ?")
                        .param(scope)
                        .query(String.class)
                        .single())
                .isEqualTo("50");
    }

    // ---- helpers ----

    private Session launch(String sub, String name, String role) {
        LtiFlow flow = new LtiFlow(baseUrl);
        LtiFlow.Login login = flow.login(canvas);
        TestLaunch launch = (role.equals(TestLaunch.INSTRUCTOR)
                        ? TestLaunch.instructor(canvas, login)
                        : TestLaunch.student(canvas, login))
                .with("sub", sub)
                .with("name", name)
                .with("given_name", name.split(" ")[0])
                .with("family_name", name.substring(name.indexOf(' ') + 1))
                .with("email", name.toLowerCase().replace(' ', '.') + "@example.edu")
                .with(
                        LtiClaims.CONTEXT,
                        Map.of("id", contextId, "label", "CS101", "title", "Introduction to Computing"));
        HttpResponse<String> response = flow.launch(launch.signed(), login.state());
        assertThat(response.statusCode()).isEqualTo(303);
        String location = response.headers().firstValue("Location").orElseThrow();
        Matcher bsid = Pattern.compile("[?&]bsid=([^&#]+)").matcher(location);
        assertThat(bsid.find()).as("the session in " + location).isTrue();
        Matcher courseId = Pattern.compile("/courses/(\\d+)").matcher(location);
        assertThat(courseId.find()).isTrue();
        long personId = jdbc.sql("SELECT id FROM person WHERE subject = ? AND platform_id ="
                        + " (SELECT id FROM platform WHERE issuer = ?)")
                .params(sub, canvas.issuer())
                .query(Long.class)
                .single();
        return new Session(
                name,
                new LtiFlow(baseUrl),
                location.replace(baseUrl, ""),
                URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8),
                Long.parseLong(courseId.group(1)),
                personId);
    }

    private LtiFlow anonymous() {
        return new LtiFlow(baseUrl);
    }

    record Session(String name, LtiFlow browser, String landing, String id, long courseId, long personId) {

        HttpResponse<String> get(String path) {
            return browser.get(withSession(path), Map.of());
        }

        /** A form post with the CSRF token of the person's landing page. */
        HttpResponse<String> post(String path, Map<String, String> form) {
            Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                    .matcher(browser.get(landing, Map.of()).body());
            Map<String, String> fields = new java.util.LinkedHashMap<>(form);
            if (csrf.find()) {
                fields.put("_csrf", csrf.group(1));
            }
            return browser.post(withSession(path), LtiFlow.form(fields), Map.of());
        }

        String withSession(String path) {
            return path + (path.contains("?") ? "&" : "?") + "bsid=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        }
    }

    private static String rowOf(String page, String name) {
        int at = page.indexOf(name);
        assertThat(at).as(name + " in the table").isNotNegative();
        int start = page.lastIndexOf("<tr", at);
        int end = page.indexOf("</tr>", at);
        return page.substring(start, end);
    }

    private static String logOutput(String page) {
        Matcher pre = Pattern.compile("<pre class=\"log\"[^>]*>(.*?)</pre>", Pattern.DOTALL)
                .matcher(page);
        return pre.find() ? pre.group(1) : "";
    }

    private List<String> messages(UUID id) {
        return workspaces.events(id, 0).stream().map(WorkspaceEvent::message).toList();
    }

    private List<String> audit(String actor) {
        return jdbc.sql("SELECT action || ' ' || target FROM audit WHERE actor = ? ORDER BY id DESC")
                .param(actor)
                .query(String.class)
                .list();
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private void awaitState(UUID id, WorkspaceState state) throws InterruptedException {
        await(id + " " + state, () -> workspaces.find(id).orElseThrow().state() == state);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Waited " + PATIENCE + " for: " + what);
            }
            Thread.sleep(200);
        }
    }
}
