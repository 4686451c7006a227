package dev.berth.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.assignment.Assignments;
import dev.berth.course.Courses;
import dev.berth.lti.LtiLaunch;
import dev.berth.lti.Platform;
import dev.berth.lti.PlatformRegistry;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A class launching at once: while one student's launch is still open (its transaction not committed), the next
 * student's launch into the same course, section and assignment goes through instead of waiting for it. Rows a
 * launch does not change are not locked, so launches into one course do not queue behind each other.
 */
@BerthIntegrationTest
class LaunchRowLocksIntegrationTests {

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Courses courses;

    @Autowired
    Assignments assignments;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    private Platform platform;

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @BeforeEach
    void setUp() {
        TestPlatform canvas = TestPlatform.canvas(wireMock);
        platform = registry.upsert(canvas.draft(), "admin", "test");
    }

    @Test
    void aLaunchIntoACourseDoesNotWaitForAnotherStudentsLaunchStillInProgress() throws Exception {
        record(launchOf("student-first"));
        CountDownLatch recorded = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> open = CompletableFuture.runAsync(
                () -> transaction.executeWithoutResult(status -> {
                    record(launchOf("student-open"));
                    recorded.countDown();
                    await(release);
                }),
                threads);
        try {
            assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();

            Long courseId = transaction.execute(status -> {
                // Waiting on a row the open launch holds would fail this launch after a second.
                jdbc.sql("SET LOCAL lock_timeout = '1s'").update();
                return record(launchOf("student-next"));
            });

            assertThat(courseId).isNotNull();
        } finally {
            release.countDown();
            open.get(30, TimeUnit.SECONDS);
        }
        assertThat(jdbc.sql("""
                                SELECT count(*) FROM membership m JOIN person p ON p.id = m.person_id
                                WHERE p.platform_id = ?""").param(platform.id()).query(Long.class).single())
                .isEqualTo(3);
    }

    @Test
    void learnersLaunchingWhileTheInstructorsFirstLaunchIntoANewCourseIsStillOpenAllGetIn() throws Exception {
        CountDownLatch recorded = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> instructor =
                CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
                    record(launchOf("teacher-first", TestLaunch.INSTRUCTOR, "course-first"));
                    recorded.countDown();
                    await(release);
                }));
        assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Long>> learners = IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> transaction.execute(
                                status -> record(launchOf("learner-first-" + i, TestLaunch.LEARNER, "course-first"))),
                        threads))
                .toList();
        try {
            awaitWaitingOnLocks(3);
        } finally {
            release.countDown();
            instructor.get(30, TimeUnit.SECONDS);
        }

        for (CompletableFuture<Long> learner : learners) {
            assertThat(learner.get(30, TimeUnit.SECONDS))
                    .as("every learner's launch is recorded")
                    .isPositive();
        }
        assertThat(jdbc.sql("""
                                SELECT count(*) FROM cohort_member m JOIN cohort h ON h.id = m.cohort_id
                                JOIN course c ON c.id = h.course_id
                                WHERE c.context_id = 'course-first' AND c.platform_id = ? AND h.kind = 'course'""").param(platform.id()).query(Long.class).single())
                .as("the three learners in the course's cohort")
                .isEqualTo(3);
    }

    /** Until this many other sessions wait on a lock (the learners behind the instructor's open launch). */
    private void awaitWaitingOnLocks(int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long waiting = jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                    .query(Long.class)
                    .single();
            if (waiting >= sessions) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(sessions + " launches never waited on the open one");
    }

    private long record(LtiLaunch launch) {
        Courses.Enrolment enrolment = courses.recordLaunch(launch);
        assignments.recordLaunch(enrolment.courseId(), launch);
        return enrolment.courseId();
    }

    private LtiLaunch launchOf(String subject) {
        return launchOf(subject, TestLaunch.LEARNER, "course-locks");
    }

    private LtiLaunch launchOf(String subject, String role, String contextId) {
        return TestLaunch.validated(platform, subject, role, contextId);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
