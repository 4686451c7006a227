package dev.berth.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.LtiClaims;
import dev.berth.lti.PlatformRegistry;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestBerth;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Valid launches from each LMS flavour map to courses, people and assignments, and open a session. */
@BerthIntegrationTest
class LaunchIntegrationTests {

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.public-url}")
    String baseUrl;

    LtiFlow flow;

    @BeforeEach
    void setUp() {
        flow = new LtiFlow(baseUrl);
    }

    private TestPlatform registered(TestPlatform platform) {
        registry.upsert(platform.publishKeys().draft(), "admin", "test");
        return platform;
    }

    private HttpResponse<String> launch(
            TestPlatform platform, java.util.function.Function<LtiFlow.Login, TestLaunch> claims) {
        LtiFlow.Login login = flow.login(platform);
        return flow.launch(claims.apply(login).signed(), login.state());
    }

    private HttpResponse<String> follow(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return flow.get(location, Map.of());
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    @Test
    void studentLaunchFromCanvasLandsOnTheAssignmentPage() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));

        HttpResponse<String> response = launch(canvas, login -> TestLaunch.student(canvas, login));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .matches("/courses/\\d+/assignments/\\d+\\?bsid=.+");
        HttpResponse<String> page = follow(response);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Lab 1: Hello, shell", "Ada Lovelace", "Learner", "Introduction to Computing");
    }

    @Test
    void instructorLaunchLandsOnTheCoursePageListingWhoLaunched() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        follow(launch(canvas, login -> TestLaunch.student(canvas, login)));

        HttpResponse<String> response = launch(canvas, login -> TestLaunch.instructor(canvas, login));

        assertThat(response.headers().firstValue("Location").orElseThrow())
                .matches("/courses/\\d+\\?assignment=\\d+&bsid=.+");
        HttpResponse<String> page = follow(response);
        assertThat(page.body())
                .contains("Introduction to Computing", "Grace Hopper", "Staff", "Ada Lovelace", "Section A");
    }

    @Test
    void teachingAssistantIsStaff() {
        TestPlatform moodle = registered(TestPlatform.moodle(wireMock));

        HttpResponse<String> response = launch(moodle, login -> TestLaunch.student(moodle, login)
                .with("sub", "ta-linus")
                .with(LtiClaims.ROLES, List.of(TestLaunch.TEACHING_ASSISTANT)));

        assertThat(response.headers().firstValue("Location").orElseThrow())
                .startsWith("/courses/")
                .contains("?assignment=");
    }

    @Test
    void shortRoleNamesFromCertificationAreUnderstood() {
        TestPlatform moodle = registered(TestPlatform.moodle(wireMock));

        HttpResponse<String> response =
                launch(moodle, login -> TestLaunch.student(moodle, login).with(LtiClaims.ROLES, List.of("Learner")));

        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/assignments/");
    }

    @Test
    void launchWithEmptyOrUnknownRolesReachesANoAccessPage() {
        TestPlatform moodle = registered(TestPlatform.moodle(wireMock));

        HttpResponse<String> response = launch(moodle, login -> TestLaunch.student(moodle, login)
                .with(LtiClaims.ROLES, List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor")));

        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/no-access");
        assertThat(follow(response).body()).contains("gives no access");
    }

    @Test
    void brightspaceLaunchWithAnAudienceArrayAndAuthorizedPartyIsAccepted() {
        TestPlatform brightspace = registered(TestPlatform.brightspace(wireMock));

        HttpResponse<String> response = launch(brightspace, login -> TestLaunch.student(brightspace, login)
                .with("aud", List.of(brightspace.clientId(), "https://api.brightspace.com/auth/token"))
                .with("azp", brightspace.clientId()));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(follow(response).body()).contains("Ada Lovelace");
    }

    @Test
    void platformWithSeveralDeploymentsAcceptsLaunchesFromEach() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock).withDeployment("2:second-subaccount"));

        HttpResponse<String> first = launch(canvas, login -> TestLaunch.student(canvas, login));
        LtiFlow.Login login = flow.login(canvas, baseUrl + "/lti/launch", "2:second-subaccount");
        HttpResponse<String> second = flow.launch(
                TestLaunch.student(canvas, login)
                        .with(LtiClaims.DEPLOYMENT_ID, "2:second-subaccount")
                        .with(LtiClaims.CONTEXT, Map.of("id", "course-other", "title", "Another course"))
                        .signed(),
                login.state());

        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(second.statusCode()).isEqualTo(303);
        assertThat(count(
                        "SELECT count(DISTINCT c.deployment_id) FROM course c JOIN platform p ON p.id = c.platform_id"
                                + " WHERE p.issuer = ?",
                        canvas.issuer()))
                .isEqualTo(2);
    }

    @Test
    void userWithNoNameOrEmailCanLaunch() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));

        HttpResponse<String> response = launch(canvas, login -> TestLaunch.student(canvas, login)
                .with("sub", "anonymous-7f3a")
                .without("name")
                .without("given_name")
                .without("family_name")
                .without("email"));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(follow(response).body()).contains("Anonymous user");
    }

    @Test
    void relaunchesUpdateRowsAndNeverDuplicateThem() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        launch(canvas, login -> TestLaunch.student(canvas, login));

        launch(canvas, login -> TestLaunch.student(canvas, login).with("name", "Ada King"));
        launch(canvas, login -> TestLaunch.student(canvas, login).with("name", "Ada King"));

        String platformRows = " JOIN platform pl ON pl.id = %s.platform_id WHERE pl.issuer = ?";
        assertThat(count("SELECT count(*) FROM person p" + platformRows.formatted("p"), canvas.issuer()))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM course c" + platformRows.formatted("c"), canvas.issuer()))
                .isEqualTo(1);
        assertThat(count(
                        "SELECT count(*) FROM assignment a JOIN course c ON c.id = a.course_id"
                                + platformRows.formatted("c"),
                        canvas.issuer()))
                .isEqualTo(1);
        assertThat(count(
                        "SELECT count(*) FROM membership m JOIN course c ON c.id = m.course_id"
                                + platformRows.formatted("c"),
                        canvas.issuer()))
                .isEqualTo(1);
        assertThat(count(
                        "SELECT count(*) FROM cohort_member cm JOIN cohort co ON co.id = cm.cohort_id"
                                + " JOIN course c ON c.id = co.course_id" + platformRows.formatted("c"),
                        canvas.issuer()))
                .as("the course cohort and the section cohort")
                .isEqualTo(2);
        assertThat(jdbc.sql("SELECT p.name FROM person p" + platformRows.formatted("p"))
                        .param(canvas.issuer())
                        .query(String.class)
                        .single())
                .isEqualTo("Ada King");
    }

    @Test
    void launchWithoutContextBelongsToItsDeployment() {
        TestPlatform moodle = registered(TestPlatform.moodle(wireMock));

        HttpResponse<String> response =
                launch(moodle, login -> TestLaunch.student(moodle, login).without(LtiClaims.CONTEXT));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(jdbc.sql(
                                "SELECT c.context_id FROM course c JOIN platform p ON p.id = c.platform_id WHERE p.issuer = ?")
                        .param(moodle.issuer())
                        .query(String.class)
                        .single())
                .isEqualTo("deployment:" + moodle.deploymentId());
    }

    @Test
    void deepLinkingRequestReachesThePageThatSaysItIsComing() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));

        HttpResponse<String> response = launch(canvas, login -> TestLaunch.instructor(canvas, login)
                .with(LtiClaims.MESSAGE_TYPE, LtiClaims.DEEP_LINKING_REQUEST)
                .without(LtiClaims.RESOURCE_LINK)
                .with(
                        LtiClaims.DEEP_LINKING_SETTINGS,
                        Map.of(
                                "deep_link_return_url", canvas.issuer() + "/deep_linking_return",
                                "accept_types", List.of("ltiResourceLink"),
                                "accept_presentation_document_targets", List.of("iframe", "window"))));

        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/deep-linking");
        assertThat(follow(response).body()).contains("arrives in a later release");
    }

    @Test
    void sessionTravelsInTheUrlWhenTheBrowserSendsNoCookie() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        HttpResponse<String> response = launch(canvas, login -> TestLaunch.instructor(canvas, login));
        String location = response.headers().firstValue("Location").orElseThrow();
        String sessionId =
                LtiFlow.query(java.net.URI.create(baseUrl + location)).get("bsid");

        HttpResponse<String> page = flow.get(location, Map.of());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as("links keep the session").contains("bsid=" + sessionId);
        assertThat(flow.get(location.substring(0, location.indexOf("bsid=") - 1), Map.of())
                        .statusCode())
                .as("without cookie or URL session")
                .isEqualTo(401);
    }

    @Test
    void sessionCookieIsSetForThirdPartyIframes() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));

        HttpResponse<String> response = launch(canvas, login -> TestLaunch.student(canvas, login));

        assertThat(response.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("BERTH_SESSION=")
                .contains("Secure", "HttpOnly", "SameSite=None", "Partitioned"));
    }

    @Test
    void aRelaunchInTheSameBrowserOpensAFreshSessionThatStillReachesTheEarlierCourse() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        HttpResponse<String> first = launch(canvas, login -> TestLaunch.instructor(canvas, login));
        String firstSession = sessionIdOf(first);

        HttpResponse<String> second =
                launchWithSession(canvas, firstSession, login -> TestLaunch.instructor(canvas, login)
                        .with(LtiClaims.CONTEXT, Map.of("id", "course-cs102", "title", "Data Structures")));
        String secondSession = sessionIdOf(second);

        assertThat(secondSession).as("a fresh session id").isNotEqualTo(firstSession);
        assertThat(second.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("BERTH_SESSION=")))
                .as("one session cookie, for the new session, and no expiry of the old one after it")
                .singleElement()
                .satisfies(cookie -> assertThat(cookie).startsWith("BERTH_SESSION=" + secondSession + ";"));
        assertThat(flow.get(pathOf(first) + "&bsid=" + firstSession, Map.of()).statusCode())
                .as("the earlier session id no longer opens anything")
                .isEqualTo(401);
        assertThat(flow.get(pathOf(first) + "&bsid=" + secondSession, Map.of()).statusCode())
                .as("the earlier course")
                .isEqualTo(200);
        assertThat(flow.get(pathOf(second) + "&bsid=" + secondSession, Map.of()).statusCode())
                .as("the new course")
                .isEqualTo(200);
        assertThat(count("SELECT count(*) FROM spring_session WHERE session_id IN (?, ?)", firstSession, secondSession))
                .isEqualTo(1);
    }

    @Test
    void theLaunchSessionIsStoredInItsCompactForm() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        String sessionId = sessionIdOf(launch(canvas, login -> TestLaunch.student(canvas, login)));

        byte[] stored = jdbc.sql("""
                        SELECT a.attribute_bytes FROM spring_session_attributes a
                        JOIN spring_session s ON s.primary_id = a.session_primary_id
                        WHERE s.session_id = ? AND a.attribute_name = 'SPRING_SECURITY_CONTEXT'""").param(sessionId).query(byte[].class).single();

        assertThat(stored).startsWith((byte) 'L', (byte) 1).hasSizeLessThan(120);
    }

    @Test
    void aRelaunchGoesThroughWhenThePreviousSessionHoldsAnAttributeThatCannotBeReadAnyMore() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        String firstSession = sessionIdOf(launch(canvas, login -> TestLaunch.student(canvas, login)));
        jdbc.sql("""
                        INSERT INTO spring_session_attributes (session_primary_id, attribute_name, attribute_bytes)
                        SELECT primary_id, 'left.by.an.older.berth', '\\xACED0005DEADBEEF'::bytea
                        FROM spring_session WHERE session_id = ?""").param(firstSession).update();

        HttpResponse<String> relaunch =
                launchWithSession(canvas, firstSession, login -> TestLaunch.student(canvas, login));

        assertThat(relaunch.statusCode()).isEqualTo(303);
        assertThat(flow.get(pathOf(relaunch) + "?bsid=" + sessionIdOf(relaunch), Map.of())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anotherPersonLaunchingInTheSameBrowserGetsNothingOfThePreviousSession() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        HttpResponse<String> instructor = launch(canvas, login -> TestLaunch.instructor(canvas, login));

        HttpResponse<String> student =
                launchWithSession(canvas, sessionIdOf(instructor), login -> TestLaunch.student(canvas, login));

        assertThat(flow.get(pathOf(instructor) + "&bsid=" + sessionIdOf(student), Map.of())
                        .statusCode())
                .as("the student cannot open the course page the instructor's session could")
                .isEqualTo(403);
        assertThat(flow.get(pathOf(student) + "?bsid=" + sessionIdOf(student), Map.of())
                        .statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> launchWithSession(
            TestPlatform platform, String sessionId, java.util.function.Function<LtiFlow.Login, TestLaunch> claims) {
        LtiFlow.Login login = flow.login(platform);
        return flow.post(
                "/lti/launch",
                LtiFlow.form(Map.of("id_token", claims.apply(login).signed(), "state", login.state())),
                Map.of("Cookie", "BERTH_SESSION=" + sessionId));
    }

    private String sessionIdOf(HttpResponse<String> launch) {
        return LtiFlow.query(java.net.URI.create(
                        baseUrl + launch.headers().firstValue("Location").orElseThrow()))
                .get("bsid");
    }

    /** The landing path of a launch, without its session id. */
    private static String pathOf(HttpResponse<String> launch) {
        String location = launch.headers().firstValue("Location").orElseThrow();
        return location.substring(0, location.indexOf("bsid=") - 1);
    }

    @Test
    void aSessionReachesOnlyTheCoursesItLaunchedInto() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        HttpResponse<String> student = launch(canvas, login -> TestLaunch.student(canvas, login));
        String location = student.headers().firstValue("Location").orElseThrow();
        String bsid = LtiFlow.query(java.net.URI.create(baseUrl + location)).get("bsid");
        String courseId = location.split("/")[2];

        assertThat(flow.get("/courses/" + courseId + "?bsid=" + bsid, Map.of()).statusCode())
                .as("a learner cannot open the staff course page")
                .isEqualTo(403);
        assertThat(flow.get("/courses/999999?bsid=" + bsid, Map.of()).statusCode())
                .as("nor another course")
                .isEqualTo(403);
    }

    @Test
    void framesAreAllowedOnlyFromRegisteredPlatforms() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));

        HttpResponse<String> page = flow.get("/", Map.of());

        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).startsWith("frame-ancestors 'self'").contains(wireMock.baseUrl());
        assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(canvas.issuer()).startsWith(wireMock.baseUrl());
    }

    @Test
    void launchCountsAndRejectionReasonsAreExportedForPrometheus() {
        TestPlatform canvas = registered(TestPlatform.canvas(wireMock));
        launch(canvas, login -> TestLaunch.student(canvas, login));
        launch(canvas, login -> TestLaunch.student(canvas, login).with("aud", "wrong"));

        HttpResponse<String> metrics =
                flow.get("/actuator/prometheus", Map.of("Authorization", "Bearer " + TestBerth.ADMIN_TOKEN));

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("berth_lti_launches_total{", "outcome=\"accepted\"", "outcome=\"rejected\"")
                .contains("berth_lti_rejections_total{", "reason=\"audience_mismatch\"");
        assertThat(flow.get("/actuator/prometheus", Map.of()).statusCode()).isEqualTo(401);
    }
}
