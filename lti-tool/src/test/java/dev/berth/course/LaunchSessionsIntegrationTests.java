package dev.berth.course;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.LtiLaunch;
import dev.berth.lti.Platform;
import dev.berth.lti.PlatformRegistry;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.support.TransactionTemplate;

/** A launch's session is stored, and named in the browser's cookie, only when the launch commits. */
@BerthIntegrationTest
class LaunchSessionsIntegrationTests {

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Courses courses;

    @Autowired
    LaunchSessions sessions;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    private LtiLaunch launch;

    @BeforeEach
    void setUp() {
        Platform platform = registry.upsert(TestPlatform.canvas(wireMock).draft(), "admin", "test");
        launch = TestLaunch.validated(platform, "student-sessions", TestLaunch.LEARNER, "course-sessions");
    }

    @Test
    void aLaunchThatFailsAfterItsSessionWasOpenedLeavesNeitherTheSessionNorACookieForIt() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> opened = new AtomicReference<>();

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    opened.set(sessions.open(
                            launch, courses.recordLaunch(launch), new MockHttpServletRequest(), response));
                    throw new IllegalStateException("a later step of the launch failed");
                }))
                .hasMessage("a later step of the launch failed");

        assertThat(opened.get()).isNotNull();
        assertThat(response.getHeaders("Set-Cookie"))
                .as("the browser keeps the session it had")
                .isEmpty();
        assertThat(storedSessions(opened.get())).isZero();
    }

    @Test
    void aCommittedLaunchNamesItsStoredSessionInTheCookie() {
        MockHttpServletResponse response = new MockHttpServletResponse();

        String opened = transaction.execute(
                status -> sessions.open(launch, courses.recordLaunch(launch), new MockHttpServletRequest(), response));

        assertThat(response.getHeaders("Set-Cookie")).singleElement().satisfies(cookie -> assertThat(cookie)
                .startsWith("BERTH_SESSION=" + opened + ";"));
        assertThat(storedSessions(opened)).isEqualTo(1);
    }

    @Test
    void aSessionIsOpenedOnlyInsideTheLaunchsTransaction() {
        Courses.Enrolment enrolment = transaction.execute(status -> courses.recordLaunch(launch));

        assertThatThrownBy(() ->
                        sessions.open(launch, enrolment, new MockHttpServletRequest(), new MockHttpServletResponse()))
                .isInstanceOf(IllegalStateException.class);
    }

    private long storedSessions(String sessionId) {
        return jdbc.sql("SELECT count(*) FROM spring_session WHERE session_id = ?")
                .param(sessionId)
                .query(Long.class)
                .single();
    }
}
