package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Home sizes are measured by the engine, batch by batch, and read back with the scope's workspaces. */
class HomeSizesIntegrationTests {

    private static final EngineSettings FAST = new EngineSettings(
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ofSeconds(15),
            Duration.ofMillis(20),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            5,
            16,
            Duration.ofHours(1));

    private final DataSource dataSource = TestDatabase.dataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    private final MutableClock clock = new MutableClock();
    private final FakeBackend backend = FakeBackend.healthy();
    private JdbcWorkspaceStore store;
    private Workspaces workspaces;
    private WorkspaceRunner runner;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        store = new JdbcWorkspaceStore(jdbc, clock);
        JdbcJobQueue queue = new JdbcJobQueue(jdbc, clock, FAST);
        workspaces = new Workspaces(store, queue, backend, tx);
        runner = new WorkspaceRunner("sizes", store, queue, backend, tx, clock, FAST);
        runner.start();
    }

    @AfterEach
    void stopRunner() {
        runner.close();
    }

    @Test
    void runningAndStoppedHomesAreMeasuredOncePerIntervalAndListedWithTheirScope() throws Exception {
        UUID ada = workspaces.ensureRunning("ada", "course-1", "http").id();
        UUID bob = workspaces.ensureRunning("bob", "course-1", "http").id();
        UUID other = workspaces.ensureRunning("cy", "course-2", "http").id();
        await("three RUNNING", () -> List.of(ada, bob, other).stream()
                .allMatch(id -> workspaces.find(id).orElseThrow().state() == WorkspaceState.RUNNING));
        workspaces.stop(bob);
        await("bob STOPPED", () -> workspaces.find(bob).orElseThrow().state() == WorkspaceState.STOPPED);
        backend.homeSizes.put(ada, 12_400_000L);
        backend.homeSizes.put(bob, 2_048L);
        HomeSizes sizes = new HomeSizes(store, backend, Duration.ofMinutes(5));

        assertThat(workspaces.summaries("course-1"))
                .as("before any measurement")
                .allSatisfy(summary -> assertThat(summary.homeBytes()).isNull());
        int[] measured = {0};
        // A row the runner still holds locked is skipped (SKIP LOCKED) and taken by the next round.
        await("three homes measured", () -> (measured[0] += sizes.measureDue()) == 3);

        List<WorkspaceSummary> course = workspaces.summaries("course-1");
        assertThat(course)
                .extracting(summary -> summary.workspace().id(), WorkspaceSummary::homeBytes)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ada, 12_400_000L),
                        org.assertj.core.groups.Tuple.tuple(bob, 2_048L));
        assertThat(course).allSatisfy(summary -> assertThat(summary.homeMeasuredAt())
                .isCloseTo(clock.instant(), within(5, ChronoUnit.SECONDS)));

        backend.homeSizes.put(ada, 13_000_000L);
        assertThat(sizes.measureDue())
                .as("nothing is due again within the interval")
                .isZero();
        clock.advance(Duration.ofMinutes(6));
        measured[0] = 0;
        await("three homes measured again", () -> (measured[0] += sizes.measureDue()) == 3);
        assertThat(workspaces.summaries("course-1"))
                .filteredOn(summary -> summary.workspace().id().equals(ada))
                .singleElement()
                .extracting(WorkspaceSummary::homeBytes)
                .isEqualTo(13_000_000L);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
