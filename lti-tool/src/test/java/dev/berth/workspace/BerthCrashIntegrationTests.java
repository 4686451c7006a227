package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.terminal.TerminalCommand;
import dev.berth.testing.BerthJvm;
import dev.berth.testing.LocalWorkspaceProcesses;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestBerth;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import dev.berth.testing.WorkspaceEntry;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's worst case on one machine: Berth is killed with SIGKILL while a student's workspace is starting,
 * then started again on the same data folder ({@code ./berth run}, {@code kill -9}, {@code ./berth run}). Berth runs
 * as a separate JVM here; its embedded PostgreSQL and the workspace's process outlive it, as they would in life.
 */
class BerthCrashIntegrationTests {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Engine timings short enough that a dead runner's claim is taken over within seconds. */
    private static final List<String> FAST_ENGINE = List.of(
            "--berth.workspaces.heartbeat-interval=1s",
            "--berth.workspaces.stale-after=3s",
            "--berth.workspaces.reconcile-interval=2s");

    static WireMockServer wireMock = SharedWireMock.server();

    private final Path dataDir =
            Path.of("target", "test-data", "crash-" + UUID.randomUUID()).toAbsolutePath();
    private final List<BerthJvm> started = new ArrayList<>();

    @AfterEach
    void leaveNothingRunning() throws Exception {
        for (BerthJvm berth : started) {
            berth.close();
        }
        LocalWorkspaceProcesses.killAll(dataDir.resolve("workspaces"));
        BerthJvm.postmaster(dataDir).ifPresent(ProcessHandle::destroy);
        assertThat(LocalWorkspaceProcesses.all(dataDir.resolve("workspaces")))
                .as("no workspace process outlives the test")
                .isEmpty();
    }

    @Test
    void berthKilledWhileAWorkspaceStartsResumesItOnRestartAndKeepsOneProcessPerWorkspace() throws Exception {
        Files.createDirectories(dataDir);
        int port = TestBerth.freePort();
        int firstPostgresPort = TestBerth.freePort();
        BerthJvm first = start(port, firstPostgresPort);
        TestPlatform canvas = TestPlatform.canvas(wireMock).publishKeys();
        register(first.baseUrl(), canvas);
        // The terminal, 6 s slow to listen: a wide window to kill Berth while the workspace is STARTING.
        List<String> slowTerminal = new ArrayList<>(List.of("sh", "-c", "sleep 6; exec \"$@\"", "sh"));
        slowTerminal.addAll(TerminalCommand.argv());
        database(firstPostgresPort)
                .sql("UPDATE environment SET local_command = :command::jsonb WHERE key = 'terminal'")
                .param("command", JsonMapper.builder().build().writeValueAsString(slowTerminal))
                .update();

        // The student's launch asks for the workspace to run: the slow terminal is already in place.
        Session ada = launch(first.baseUrl(), canvas);
        UUID id = launchedWorkspace(new LtiFlow(first.baseUrl()), ada);
        awaitState(firstPostgresPort, id, "STARTING");
        awaitRunRecord(id);
        Optional<ProcessHandle> firstPostmaster = BerthJvm.postmaster(dataDir);

        first.kill();

        assertThat(firstPostmaster).as("the killed Berth's PostgreSQL").hasValueSatisfying(postmaster -> assertThat(
                        postmaster.isAlive())
                .as("survives its JVM (pg_ctl detached it)")
                .isTrue());
        Optional<Long> survivor = runRecordPid(id)
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        int secondPostgresPort = TestBerth.freePort();
        BerthJvm second = start(port, secondPostgresPort);

        assertThat(firstPostmaster.orElseThrow().isAlive())
                .as("the restarted Berth stopped the orphaned PostgreSQL and started its own on the same data")
                .isFalse();
        awaitState(secondPostgresPort, id, "RUNNING");
        assertThat(runRecordPid(id))
                .as("the process that outlived the crash was adopted, not started twice")
                .contains(survivor.orElseThrow());

        Session again = launch(second.baseUrl(), canvas);
        HttpResponse<String> page = new LtiFlow(second.baseUrl()).get(again.landing(), Map.of());
        assertThat(page.body()).as("the next launch shows the workspace").contains(id.toString());
        HttpResponse<String> workspace = open(second.baseUrl(), id, again);
        assertThat(workspace.statusCode())
                .as("the gateway serves the resumed workspace")
                .isEqualTo(200);
        assertThat(workspace.body()).contains("<title>Terminal</title>");

        JdbcClient db = database(secondPostgresPort);
        Map<UUID, List<ProcessHandle>> processes = LocalWorkspaceProcesses.topLevel(dataDir.resolve("workspaces"));
        List<UUID> activeRows = db.sql("SELECT id FROM workspace WHERE state IN ('STARTING', 'RUNNING', 'STOPPING')")
                .query(UUID.class)
                .list();
        assertThat(processes.keySet())
                .as("no process is left without a workspace row that wants it")
                .containsExactlyInAnyOrderElementsOf(activeRows);
        processes.forEach((workspaceId, top) -> assertThat(top)
                .as("exactly one process for workspace " + workspaceId)
                .hasSize(1));
        for (UUID row : activeRows) {
            assertThat(runRecordPid(row))
                    .as("the row of " + row + " claims a live process")
                    .hasValueSatisfying(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
        }
        assertThat(db.sql("SELECT count(*) FROM workspace").query(Long.class).single())
                .as("one workspace for the student, across the crash")
                .isEqualTo(1);
    }

    private BerthJvm start(int port, int postgresPort) throws Exception {
        BerthJvm berth = BerthJvm.start(port, dataDir, postgresPort, dataDir.resolve("berth.log"), FAST_ENGINE);
        started.add(berth);
        return berth;
    }

    private JdbcClient database(int postgresPort) {
        return JdbcClient.create(new SimpleDriverDataSource(
                new org.postgresql.Driver(),
                "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres",
                "postgres",
                ""));
    }

    private void awaitState(int postgresPort, UUID id, String state) throws InterruptedException {
        JdbcClient db = database(postgresPort);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = db.sql("SELECT state FROM workspace WHERE id = :id")
                    .param("id", id)
                    .query(String.class)
                    .single();
            if (last.equals(state)) {
                return;
            }
            assertThat(last)
                    .as("the workspace failed; see " + dataDir.resolve("berth.log"))
                    .isNotEqualTo("FAILED");
            Thread.sleep(50);
        }
        fail("Workspace " + id + " was " + last + ", not " + state + ", after " + LIMIT);
    }

    private void awaitRunRecord(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (runRecordPid(id).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("The local backend wrote no run record for " + id + " within " + LIMIT);
            }
            Thread.sleep(20);
        }
    }

    private Optional<Long> runRecordPid(UUID id) {
        Path record = dataDir.resolve("workspaces").resolve(id.toString()).resolve("run.properties");
        try (var in = Files.newInputStream(record)) {
            Properties properties = new Properties();
            properties.load(in);
            return Optional.of(Long.parseLong(properties.getProperty("pid")));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void register(String baseUrl, TestPlatform platform) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/platforms"))
                                .header("Authorization", "Bearer " + TestBerth.ADMIN_TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        JsonMapper.builder().build().writeValueAsString(platform.draft())))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static Session launch(String baseUrl, TestPlatform canvas) {
        LtiFlow flow = new LtiFlow(baseUrl);
        LtiFlow.Login login = flow.login(canvas);
        HttpResponse<String> response =
                flow.launch(TestLaunch.student(canvas, login).signed(), login.state());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        String location = response.headers().firstValue("Location").orElseThrow();
        Matcher bsid = Pattern.compile("[?&]bsid=([^&#]+)").matcher(location);
        assertThat(bsid.find())
                .as("the session in the landing URL: " + location)
                .isTrue();
        return new Session(location, URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8));
    }

    /**
     * The workspace the student's launch asked to run: a fresh learner's assignment page offers no start button
     * (the launch itself starts the workspace) but follows that workspace's progress through its events.
     */
    private static UUID launchedWorkspace(LtiFlow browser, Session session) {
        String page = browser.get(session.landing(), Map.of()).body();
        assertThat(page).as("no start button: the launch started the workspace").doesNotContain("Start workspace");
        Matcher progress = Pattern.compile("data-events=\"/workspaces/([0-9a-f-]{36})/events")
                .matcher(page);
        assertThat(progress.find())
                .as("the assignment page follows the progress of the workspace the launch started")
                .isTrue();
        return UUID.fromString(progress.group(1));
    }

    /** Enters the workspace the way a page does, through /workspaces/{id}/open, following its redirects. */
    private static HttpResponse<String> open(String baseUrl, UUID id, Session session) throws Exception {
        return new WorkspaceEntry().follow(baseUrl + "/workspaces/" + id + "/open?bsid=" + session.encodedId());
    }

    record Session(String landing, String id) {
        String encodedId() {
            return URLEncoder.encode(id, StandardCharsets.UTF_8);
        }
    }
}
