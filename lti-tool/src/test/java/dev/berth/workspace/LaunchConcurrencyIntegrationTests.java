package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.LtiClaims;
import dev.berth.lti.PlatformRegistry;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * First launches arriving all at once, through the real LTI flow: a learner's launch asks for their workspace, so
 * twenty launches of one student in the same instant must make one workspace, and fifty students one each, every one
 * of them RUNNING. The fifty use a light environment (python's http.server) so the test measures the engine, not
 * fifty JVMs starting on two cores.
 */
@BerthIntegrationTest
class LaunchConcurrencyIntegrationTests {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.public-url}")
    String baseUrl;

    private TestPlatform canvas;

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
        httpServerEnvironment("http-test", "HTTP test server");
    }

    /** An environment running python's http.server: light enough for many at once on two cores. */
    private void httpServerEnvironment(String key, String name) {
        jdbc.sql("""
                        INSERT INTO environment (key, name, kind, local_command, port, base_path_mode, health_path,
                                                 idle_timeout_seconds)
                        VALUES (?, ?, 'process', '["python3", "-m", "http.server", "--bind", "127.0.0.1", "{port}"]',
                                8000, 'strip', '/', 3600)
                        ON CONFLICT (key) DO NOTHING""").params(key, name).update();
    }

    @Test
    void twentySimultaneousFirstLaunchesOfOneStudentMakeExactlyOneWorkspace() throws Exception {
        List<Integer> statuses = launchAtOnce(20, i -> "student-simultaneous", "terminal", "course-twenty");

        assertThat(statuses).as("every launch lands on the assignment page").containsOnly(303);
        assertThat(workspaceStates("course-twenty")).hasSize(1);
        assertThat(jdbc.sql("""
                                SELECT count(*) FROM job j JOIN workspace w ON w.id = j.workspace_id
                                JOIN course c ON w.scope_ref = 'course:' || c.id
                                WHERE c.context_id = 'course-twenty' AND j.finished_at IS NULL""").query(Long.class).single())
                .as("at most one job in flight for it")
                .isLessThanOrEqualTo(1);
        awaitAllRunning("course-twenty", 1);
    }

    @Test
    void fiftyStudentsLaunchingAtOnceGetFiftyWorkspacesAllRunning() throws Exception {
        List<Integer> statuses = launchAtOnce(50, i -> "student-" + i, "http-test", "course-fifty");

        assertThat(statuses).containsOnly(303);
        assertThat(workspaceStates("course-fifty")).hasSize(50);
        awaitAllRunning("course-fifty", 50);
    }

    @Test
    void aDatabaseErrorWhileAskingForTheWorkspaceDoesNotFailTheLaunch() throws Exception {
        httpServerEnvironment("refused-by-the-database", "Refused");
        jdbc.sql("""
                        CREATE OR REPLACE FUNCTION refuse_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.environment_id = (SELECT id FROM environment WHERE key = 'refused-by-the-database')
                            THEN
                                RAISE EXCEPTION 'workspace refused for this test';
                            END IF;
                            RETURN NEW;
                        END $$""").update();
        jdbc.sql("""
                        CREATE TRIGGER refuse_workspace BEFORE INSERT ON workspace FOR EACH ROW
                        EXECUTE FUNCTION refuse_workspace()""").update();
        try {
            List<Integer> statuses =
                    launchAtOnce(1, i -> "student-refused", "refused-by-the-database", "course-refused");

            assertThat(statuses)
                    .as("the student still lands on the assignment page")
                    .containsOnly(303);
            assertThat(jdbc.sql("""
                                    SELECT count(*) FROM membership m JOIN course c ON c.id = m.course_id
                                    WHERE c.context_id = 'course-refused'""").query(Long.class).single())
                    .as("the launch was recorded")
                    .isEqualTo(1);
            assertThat(workspaceStates("course-refused")).isEmpty();
        } finally {
            jdbc.sql("DROP TRIGGER refuse_workspace ON workspace").update();
        }
    }

    private List<Integer> launchAtOnce(
            int count, java.util.function.IntFunction<String> subject, String environment, String contextId)
            throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(count);
        List<Future<Integer>> launches = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                launches.add(pool.submit(() -> {
                    LtiFlow flow = new LtiFlow(baseUrl);
                    LtiFlow.Login login = flow.login(canvas);
                    String idToken = TestLaunch.student(canvas, login)
                            .with("sub", subject.apply(n))
                            .with(LtiClaims.CUSTOM, Map.of("environment", environment))
                            .with(
                                    LtiClaims.CONTEXT,
                                    Map.of("id", contextId, "title", "Concurrency " + contextId, "label", contextId))
                            .signed();
                    barrier.await(30, TimeUnit.SECONDS);
                    HttpResponse<String> response = flow.launch(idToken, login.state());
                    return response.statusCode();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> launch : launches) {
                statuses.add(launch.get(2, TimeUnit.MINUTES));
            }
            return statuses;
        }
    }

    private List<String> workspaceStates(String contextId) {
        return jdbc.sql("""
                        SELECT w.state FROM workspace w JOIN course c ON w.scope_ref = 'course:' || c.id
                        WHERE c.context_id = :context""").param("context", contextId).query(String.class).list();
    }

    private void awaitAllRunning(String contextId, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        List<String> states = List.of();
        while (System.nanoTime() < deadline) {
            states = workspaceStates(contextId);
            assertThat(states).as("no workspace failed").doesNotContain("FAILED");
            if (states.size() == expected && states.stream().allMatch("RUNNING"::equals)) {
                return;
            }
            Thread.sleep(250);
        }
        fail("Not all " + expected + " workspaces RUNNING within " + LIMIT + ": " + states);
    }
}
