package dev.berth.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.DataSnapshot;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starter files end to end: staff upload an archive on the assignment page (bad archives get a 4xx page and change
 * nothing), a student's new workspace starts with the files, and "reset to starter files" restores them, keeping a
 * backup of the student's files in the home.
 */
@BerthIntegrationTest
class StarterFilesIntegrationTests {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Map<String, String> STARTER = Map.of("README.md", "Start here", "src/main.py", "print(1)");

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
    Path dataDir;

    private TestPlatform canvas;
    private final List<UUID> started = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
    }

    @AfterEach
    void stopWhatWasStarted() throws InterruptedException {
        for (UUID id : started) {
            workspaces.stop(id);
            await(
                    "workspace " + id + " stopped",
                    () -> workspaces.find(id).orElseThrow().state() == WorkspaceState.STOPPED);
        }
    }

    @Test
    void staffUploadAStarterArchiveAndTheAssignmentPageShowsIt() throws Exception {
        Session grace = launch(login -> TestLaunch.instructor(canvas, login));
        long uploadsBefore = audited("assignment.starter-files.upload");
        HttpResponse<String> upload = grace.upload("lab1.zip", zip(STARTER));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(302);
        String page = grace.page();
        assertThat(page)
                .contains("Starter files uploaded", "lab1.zip", "2 files", "by Grace Hopper", "Replace starter files");
        assertThat(audited("assignment.starter-files.upload")).isEqualTo(uploadsBefore + 1);

        HttpResponse<String> removed = grace.post(grace.assignmentPath() + "/starter-files/remove", Map.of());
        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(grace.page()).contains("Starter files removed", "No starter files yet");
    }

    @Test
    void badArchivesAreRefusedWithA4xxPageSayingWhyAndChangeNothing() throws Exception {
        Session grace = launch(login -> TestLaunch.instructor(canvas, login));
        assertThat(grace.upload("good.zip", zip(STARTER)).statusCode()).isEqualTo(302);
        Map<String, Long> before = snapshot();

        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 5_001; i++) {
            many.put("f" + i, "");
        }
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("unsafe path", zip(Map.of("../../outside.txt", "x")));
        bad.put("unsafe path", zip(Map.of("/etc/cron.d/x", "x")));
        bad.put("not a valid .zip", "plain text, not an archive".getBytes(StandardCharsets.UTF_8));
        bad.put("more than 5000 entries", zip(many));
        bad.put("unpacks to more than 200 MB", zeros(201 * 1024 * 1024));
        bad.put("symbolic link", symlinkZip());
        for (Map.Entry<String, byte[]> archive : bad.entrySet()) {
            HttpResponse<String> refused = grace.upload("bad.zip", archive.getValue());
            assertThat(refused.statusCode()).as(archive.getKey()).isEqualTo(400);
            assertThat(refused.body()).as(archive.getKey()).contains(archive.getKey(), "Nothing was changed");
        }
        HttpResponse<String> tooLarge = grace.upload("big.zip", new byte[20 * 1024 * 1024 + 10]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("larger than 20 MB");
        HttpResponse<String> farTooLarge = grace.upload("huge.zip", new byte[22 * 1024 * 1024]);
        assertThat(farTooLarge.statusCode()).isEqualTo(413);
        assertThat(farTooLarge.body()).contains("uploads of at most 20 MB");

        assertThat(snapshot()).isEqualTo(before);
        assertThat(grace.page()).contains("good.zip");
    }

    @Test
    void onlyTheCoursesStaffMayUploadAndOnlyWithTheFormsCsrfToken() throws Exception {
        Session ada = launch(login -> TestLaunch.student(canvas, login));
        ada.launchedWorkspace(); // her page then has forms: she posts with a valid CSRF token
        Session grace = launch(login -> TestLaunch.instructor(canvas, login));
        Map<String, Long> before = snapshot();
        assertThat(ada.upload("lab1.zip", zip(STARTER)).statusCode()).isEqualTo(403);
        assertThat(ada.page()).doesNotContain("Upload starter files");
        grace.csrf = "forged";
        assertThat(grace.upload("lab1.zip", zip(STARTER)).statusCode()).isEqualTo(403);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aNewWorkspaceStartsWithTheStarterFilesAndAResetRestoresThemKeepingABackup() throws Exception {
        Session grace = launch(login -> TestLaunch.instructor(canvas, login));
        assertThat(grace.upload("lab1.zip", zip(STARTER)).statusCode()).isEqualTo(302);
        Session ada = launch(login -> TestLaunch.student(canvas, login));
        UUID id = ada.launchedWorkspace();
        Path home = home(id);
        assertThat(files(home))
                .as("the workspace Ada's launch created starts with the starter files")
                .isEqualTo(new TreeMap<>(STARTER));

        Files.writeString(home.resolve("README.md"), "my notes");
        Files.writeString(home.resolve("homework.py"), "answer = 42");
        assertThat(grace.upload("lab1-v2.zip", zip(Map.of("week2.md", "Week 2")))
                        .statusCode())
                .isEqualTo(302);
        assertThat(files(home))
                .as("a later upload never touches an existing home")
                .containsEntry("README.md", "my notes")
                .doesNotContainKey("week2.md");

        Session bob = launch(login ->
                TestLaunch.student(canvas, login).with("sub", "student-bob").with("name", "Bob Builder"));
        UUID bobs = bob.launchedWorkspace();
        assertThat(files(home(bobs)))
                .as("a workspace created after the new upload starts with the new starter files")
                .isEqualTo(Map.of("week2.md", "Week 2"));
        assertThat(bob.post(bob.assignmentPath() + "/workspaces/" + id + "/reset", Map.of())
                        .statusCode())
                .as("another student resetting Ada's workspace")
                .isEqualTo(403);

        assertThat(ada.page()).contains("Reset to starter files…", "<dialog", "Backups/");
        long resetsBefore = audited("workspace.reset");
        HttpResponse<String> reset = ada.post(ada.assignmentPath() + "/workspaces/" + id + "/reset", Map.of());
        assertThat(reset.statusCode()).isEqualTo(302);
        assertThat(ada.page()).as("the page after the reset").contains("Resetting your workspace");
        await(
                "the reset to finish",
                () -> !ada.get(ada.coursePath() + "/workspaces/" + id + "/reset")
                                .body()
                                .contains("\"pending\":true")
                        && workspaces.find(id).orElseThrow().state() == WorkspaceState.RUNNING);

        Map<String, String> after = files(home);
        String backup = after.keySet().stream()
                .filter(path -> path.endsWith("/homework.py"))
                .findFirst()
                .orElseThrow()
                .replace("/homework.py", "");
        assertThat(backup).matches("Backups/\\d{4}-\\d{2}-\\d{2} \\d{2}-\\d{2}-\\d{2}");
        assertThat(after)
                .as("the assignment's current starter files, and everything from before in the backup")
                .containsOnly(
                        Map.entry("week2.md", "Week 2"),
                        Map.entry(backup + "/README.md", "my notes"),
                        Map.entry(backup + "/homework.py", "answer = 42"),
                        Map.entry(backup + "/src/main.py", "print(1)"));
        assertThat(workspaces.events(id, 0))
                .extracting(event -> event.message())
                .containsSubsequence(
                        "Reset to the starter files requested",
                        "Backed up your files to " + backup + "/",
                        "Restored the starter files",
                        "Ready");
        assertThat(audited("workspace.reset")).isEqualTo(resetsBefore + 1);
    }

    private Path home(UUID workspace) {
        return dataDir.resolve("workspaces").resolve(workspace.toString()).resolve("home");
    }

    private long audited(String action) {
        return jdbc.sql("SELECT count(*) FROM audit WHERE action = ?")
                .param(action)
                .query(Long.class)
                .single();
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>(DataSnapshot.take(jdbc));
        counts.put(
                "starter_archive",
                jdbc.sql("SELECT count(*) FROM starter_archive")
                        .query(Long.class)
                        .single());
        counts.put(
                "linked",
                jdbc.sql("SELECT count(DISTINCT starter_archive_id) FROM assignment")
                        .query(Long.class)
                        .single());
        counts.put(
                "latest link",
                jdbc.sql("SELECT coalesce(max(updated_at), 'epoch'::timestamptz) FROM assignment")
                        .query(java.sql.Timestamp.class)
                        .single()
                        .getTime());
        return counts;
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
        Matcher course = Pattern.compile("/courses/(\\d+)").matcher(location);
        assertThat(course.find()).isTrue();
        long assignment = jdbc.sql("SELECT max(id) FROM assignment WHERE course_id = ?")
                .param(Long.parseLong(course.group(1)))
                .query(Long.class)
                .single();
        Session session = new Session(
                URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8), Long.parseLong(course.group(1)), assignment);
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(session.page());
        session.csrf = csrf.find() ? csrf.group(1) : null;
        return session;
    }

    final class Session {
        final String id;
        final long courseId;
        final long assignmentId;
        String csrf;

        Session(String id, long courseId, long assignmentId) {
            this.id = id;
            this.courseId = courseId;
            this.assignmentId = assignmentId;
        }

        String coursePath() {
            return "/courses/" + courseId;
        }

        String assignmentPath() {
            return coursePath() + "/assignments/" + assignmentId;
        }

        String bsid() {
            return "bsid=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        }

        String page() {
            HttpResponse<String> page = get(assignmentPath());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            return page.body();
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path + "?" + bsid()))
                    .GET()
                    .build());
        }

        HttpResponse<String> post(String path, Map<String, String> fields) {
            Map<String, String> form = new LinkedHashMap<>(fields);
            if (csrf != null) {
                form.put("_csrf", csrf);
            }
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path + "?" + bsid()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(LtiFlow.form(form)))
                    .build());
        }

        HttpResponse<String> upload(String fileName, byte[] archive) throws IOException {
            String boundary = "berth-" + UUID.randomUUID();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (csrf != null) {
                body.write(
                        ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"" + fileName
                            + "\"\r\nContent-Type: application/zip\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(archive);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return send(HttpRequest.newBuilder(URI.create(baseUrl + assignmentPath() + "/starter-files?" + bsid()))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build());
        }

        /**
         * The workspace this learner's launch started (a learner's launch starts it; the page shows its steps),
         * once the page shows the IDE; the CSRF token then comes from the IDE page's forms.
         */
        UUID launchedWorkspace() throws InterruptedException {
            Matcher shown = Pattern.compile("/workspaces/([0-9a-f-]{36})/(?:status|events|open)")
                    .matcher(page());
            assertThat(shown.find())
                    .as("the learner's launch started a workspace and the assignment page shows it")
                    .isTrue();
            Workspace workspace =
                    workspaces.find(UUID.fromString(shown.group(1))).orElseThrow();
            started.add(workspace.id());
            assertThat(workspace.scopeRef()).isEqualTo("course:" + courseId);
            assertThat(workspace.environmentKey()).isEqualTo("terminal");
            await("the workspace RUNNING", () -> {
                WorkspaceState state =
                        workspaces.find(workspace.id()).orElseThrow().state();
                assertThat(state).isNotEqualTo(WorkspaceState.FAILED);
                return state == WorkspaceState.RUNNING && workspaces.ready(workspace.id());
            });
            Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page());
            assertThat(token.find()).as("the IDE page's forms").isTrue();
            csrf = token.group(1);
            return workspace.id();
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + LIMIT + " for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, String> files(Path home) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(home.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A small archive that inflates to {@code size} zero bytes: a zip bomb, mildly. */
    private static byte[] zeros(int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] block = new byte[1024 * 1024];
            for (int written = 0; written < size; written += block.length) {
                zip.write(block);
            }
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** One entry marked, as Info-ZIP marks it, a Unix symbolic link (mode 120777). */
    private static byte[] symlinkZip() throws IOException {
        byte[] archive = zip(Map.of("link", "/etc/passwd"));
        ByteBuffer buffer = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= archive.length; i++) {
            if (buffer.getInt(i) == 0x02014b50) {
                buffer.putShort(i + 4, (short) ((3 << 8) | 20));
                buffer.putInt(i + 38, 0120777 << 16);
            }
        }
        return archive;
    }
}
