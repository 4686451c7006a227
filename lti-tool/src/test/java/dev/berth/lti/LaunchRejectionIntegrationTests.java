package dev.berth.lti;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEObjectType;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.DataSnapshot;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every way a launch can break LTI's rules is refused with a clear 4xx that names the rule, and leaves the
 * database exactly as it was (LTI Security §5.1.3; the certification suite's invalid payloads).
 */
@BerthIntegrationTest
class LaunchRejectionIntegrationTests {

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.public-url}")
    String baseUrl;

    LtiFlow flow;
    TestPlatform platform;
    Map<String, Long> before;

    @BeforeEach
    void registerPlatform() {
        flow = new LtiFlow(baseUrl);
        platform = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(platform.draft(), "admin", "test");
    }

    @AfterEach
    void resetWireMock() {
        wireMock.resetAll();
    }

    private HttpResponse<String> launch(TestLaunch launch, LtiFlow.Login login) {
        before = DataSnapshot.take(jdbc);
        return flow.launch(launch.signed(), login.state());
    }

    private void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).as("the page names the broken rule").contains("data-code=\"" + code + "\"");
        assertThat(response.body()).doesNotContain("Exception", "at dev.berth");
        assertThat(DataSnapshot.take(jdbc))
                .as("a refused launch changes no data")
                .isEqualTo(before);
    }

    @Test
    void launchWithBadSignatureIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        String token = TestLaunch.student(platform, login).signed();
        int signature = token.lastIndexOf('.') + 1;
        // Another first character than the one there, so the signature really changes (an "A" there would not).
        String replacement = token.charAt(signature) == 'A' ? "B" : "A";
        String tampered = token.substring(0, signature) + replacement + token.substring(signature + 1);
        before = DataSnapshot.take(jdbc);

        assertRefused(flow.launch(tampered, login.state()), 401, "signature_invalid");
    }

    @Test
    void launchSignedByAnotherKeyWithTheSameKidIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        var impostor = TestPlatform.newKey(platform.key().getKeyID());

        assertRefused(launch(TestLaunch.student(platform, login).signedBy(impostor), login), 401, "signature_invalid");
    }

    @Test
    void aTokenTypedAsAnotherKindOfJwtIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(TestLaunch.student(platform, login).typed(new JOSEObjectType("at+jwt")), login),
                401,
                "signature_invalid");
    }

    @Test
    void aTokenWithoutTypIsAccepted() {
        LtiFlow.Login login = flow.login(platform);

        assertThat(flow.launch(TestLaunch.student(platform, login).typed(null).signed(), login.state())
                        .statusCode())
                .isEqualTo(303);
    }

    @Test
    void launchWithUnknownKidRefetchesTheJwksOnceThenIsRefused() {
        LtiFlow.Login first = flow.login(platform);
        assertThat(flow.launch(TestLaunch.student(platform, first).signed(), first.state())
                        .statusCode())
                .isEqualTo(303);
        wireMock.resetRequests();
        LtiFlow.Login login = flow.login(platform);

        var unknown = TestPlatform.newKey("kid-the-platform-never-published");
        assertRefused(launch(TestLaunch.student(platform, login).signedBy(unknown), login), 401, "key_unknown");
        wireMock.verify(1, getRequestedFor(urlEqualTo(platform.jwksPath())));

        LtiFlow.Login again = flow.login(platform);
        assertRefused(launch(TestLaunch.student(platform, again).signedBy(unknown), again), 401, "key_unknown");
        wireMock.verify(1, getRequestedFor(urlEqualTo(platform.jwksPath())));
    }

    @Test
    void launchSignedWithANewlyRotatedPlatformKeyIsAcceptedAfterOneRefetch() {
        LtiFlow.Login first = flow.login(platform);
        assertThat(flow.launch(TestLaunch.student(platform, first).signed(), first.state())
                        .statusCode())
                .isEqualTo(303);
        var rotated = TestPlatform.newKey("rotated-key");
        platform.publishKeys(platform.key(), rotated);
        LtiFlow.Login login = flow.login(platform);

        HttpResponse<String> response = flow.launch(
                TestLaunch.student(platform, login).signedBy(rotated).signed(), login.state());

        assertThat(response.statusCode()).isEqualTo(303);
    }

    @Test
    void unsignedLaunchIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        assertRefused(
                flow.launch(TestLaunch.student(platform, login).unsigned(), login.state()), 401, "alg_not_allowed");
    }

    @Test
    void launchSignedWithHs256UsingThePublicKeyAsSecretIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        assertRefused(
                flow.launch(TestLaunch.student(platform, login).signedWithPublicKeyAsHmacSecret(), login.state()),
                401,
                "alg_not_allowed");
    }

    @Test
    void expiredLaunchIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch = TestLaunch.student(platform, login)
                .with("iat", Instant.now().minusSeconds(7200))
                .with("exp", Instant.now().minusSeconds(3600));

        assertRefused(launch(launch, login), 400, "token_expired");
    }

    @Test
    void launchIssuedInTheFutureIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch =
                TestLaunch.student(platform, login).with("iat", Instant.now().plusSeconds(600));

        assertRefused(launch(launch, login), 400, "token_issued_in_future");
    }

    @Test
    void launchWithinTheClockSkewIsAccepted() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch = TestLaunch.student(platform, login)
                .with("iat", Instant.now().plusSeconds(20))
                .with("exp", Instant.now().minusSeconds(20));

        assertThat(flow.launch(launch.signed(), login.state()).statusCode()).isEqualTo(303);
    }

    @Test
    void replayedIdTokenWithAFreshStateIsRefusedForItsNonce() {
        LtiFlow.Login first = flow.login(platform);
        String token = TestLaunch.student(platform, first).signed();
        assertThat(flow.launch(token, first.state()).statusCode()).isEqualTo(303);
        LtiFlow.Login second = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        assertRefused(flow.launch(token, second.state()), 400, "nonce_mismatch");
    }

    @Test
    void reusedStateIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        String token = TestLaunch.student(platform, login).signed();
        assertThat(flow.launch(token, login.state()).statusCode()).isEqualTo(303);
        before = DataSnapshot.take(jdbc);

        assertRefused(flow.launch(token, login.state()), 400, "state_used");
    }

    @Test
    void unknownStateIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        assertRefused(
                flow.launch(TestLaunch.student(platform, login).signed(), "state-berth-never-issued"),
                400,
                "state_unknown");
    }

    @Test
    void expiredStateIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        jdbc.sql("UPDATE oidc_state SET expires_at = now() - interval '1 minute' WHERE state = ?")
                .param(login.state())
                .update();

        assertRefused(launch(TestLaunch.student(platform, login), login), 400, "state_expired");
    }

    @Test
    void launchForAnotherAudienceIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(TestLaunch.student(platform, login).with("aud", "some-other-tool"), login),
                401,
                "audience_mismatch");
    }

    @Test
    void launchWithSeveralAudiencesAndAnotherAuthorizedPartyIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch = TestLaunch.student(platform, login)
                .with("aud", List.of(platform.clientId(), "another-tool"))
                .with("azp", "another-tool");

        assertRefused(launch(launch, login), 401, "azp_mismatch");
    }

    @Test
    void launchWithSeveralAudiencesAndNoAuthorizedPartyIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch = TestLaunch.student(platform, login).with("aud", List.of(platform.clientId(), "another"));

        assertRefused(launch(launch, login), 401, "azp_mismatch");
    }

    @Test
    void loginFromAnUnknownIssuerIsRefused() {
        before = DataSnapshot.take(jdbc);
        HttpResponse<String> response = flow.get(
                "/lti/login?iss=https%3A%2F%2Flms.unknown.example&login_hint=1" + "&target_link_uri=" + baseUrl
                        + "/lti/launch",
                Map.of());

        assertRefused(response, 400, "login_platform_unknown");
    }

    @Test
    void loginNamingAClientIdTheIssuerNeverRegisteredIsRefused() {
        before = DataSnapshot.take(jdbc);
        HttpResponse<String> response = flow.get(
                "/lti/login?"
                        + LtiFlow.form(Map.of(
                                "iss",
                                platform.issuer(),
                                "login_hint",
                                "1",
                                "target_link_uri",
                                baseUrl + "/lti/launch",
                                "client_id",
                                "client-nobody-registered")),
                Map.of());

        assertRefused(response, 400, "login_client_unknown");
        assertThat(response.body()).contains("client-nobody-registered");
    }

    @Test
    void launchWhoseIssuerIsNotTheRegisteredOneIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(TestLaunch.student(platform, login).with("iss", "https://evil.example"), login),
                401,
                "issuer_mismatch");
    }

    @Test
    void launchFromAnUnknownDeploymentIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch =
                TestLaunch.student(platform, login).with(LtiClaims.DEPLOYMENT_ID, "deployment-nobody-registered");

        HttpResponse<String> response = launch(launch, login);

        assertRefused(response, 400, "deployment_unknown");
    }

    @Test
    void launchWithAnotherLtiVersionIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(TestLaunch.student(platform, login).with(LtiClaims.VERSION, "1.1"), login),
                400,
                "version_unsupported");
    }

    @Test
    void launchWithAnUnknownMessageTypeIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(
                        TestLaunch.student(platform, login).with(LtiClaims.MESSAGE_TYPE, "LtiSubmissionReviewRequest"),
                        login),
                400,
                "message_type_unsupported");
    }

    @Test
    void launchWithoutRolesIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(TestLaunch.student(platform, login).without(LtiClaims.ROLES), login), 400, "claim_missing");
    }

    @Test
    void resourceLinkLaunchWithoutResourceLinkIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(TestLaunch.student(platform, login).without(LtiClaims.RESOURCE_LINK), login),
                400,
                "claim_missing");
    }

    @Test
    void launchForAnotherToolsTargetIsRefused() {
        LtiFlow.Login login = flow.login(platform);

        assertRefused(
                launch(
                        TestLaunch.student(platform, login)
                                .with(LtiClaims.TARGET_LINK_URI, "https://elsewhere.example/x"),
                        login),
                400,
                "target_link_foreign");
    }

    @Test
    void malformedIdTokenIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        assertRefused(flow.launch("this.is-not.a-jwt", login.state()), 400, "id_token_malformed");
    }

    @Test
    void idTokenOver64KiBIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch = TestLaunch.student(platform, login).with("padding", "x".repeat(70 * 1024));

        assertRefused(launch(launch, login), 413, "id_token_too_large");
    }

    @Test
    void formBodyLargerThanTheServerAcceptsIsRefusedAsTooLarge() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        HttpResponse<String> response = flow.post(
                "/lti/launch", "state=" + login.state() + "&id_token=" + "x".repeat(3 * 1024 * 1024), Map.of());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("The request is too large.").doesNotContain("Tomcat", "Exception");
        assertThat(DataSnapshot.take(jdbc)).isEqualTo(before);
    }

    @Test
    void launchWithoutIdTokenIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        assertRefused(flow.launch(null, login.state()), 400, "id_token_missing");
    }

    @Test
    void launchFromADisabledPlatformIsRefused() {
        LtiFlow.Login login = flow.login(platform);
        var stored = registry.lookup(platform.issuer(), platform.clientId())
                .platform()
                .orElseThrow();
        var draft = platform.disabled().draft();
        registry.update(stored.id(), draft, "admin", "test");

        assertRefused(launch(TestLaunch.student(platform, login), login), 403, "platform_disabled");
    }

    @Test
    void aLoginWhosePlatformWasDeletedMeanwhileIsRefusedAndLeavesNoStateBehind() {
        LtiFlow.Login login = flow.login(platform);
        long id = registry.lookup(platform.issuer(), platform.clientId())
                .platform()
                .orElseThrow()
                .id();

        assertThat(registry.delete(id, "admin")).isEqualTo(PlatformRegistry.DeleteOutcome.DELETED);

        assertThat(jdbc.sql("SELECT count(*) FROM oidc_state WHERE platform_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
        assertRefused(launch(TestLaunch.student(platform, login), login), 400, "state_unknown");
    }

    @Test
    void loginToADisabledPlatformIsRefused() {
        var stored = registry.lookup(platform.issuer(), platform.clientId())
                .platform()
                .orElseThrow();
        registry.update(stored.id(), platform.disabled().draft(), "admin", "test");
        before = DataSnapshot.take(jdbc);

        HttpResponse<String> response = flow.get(
                "/lti/login?"
                        + LtiFlow.form(Map.of(
                                "iss",
                                platform.issuer(),
                                "login_hint",
                                "1",
                                "target_link_uri",
                                baseUrl + "/lti/launch",
                                "client_id",
                                platform.clientId())),
                Map.of());

        assertRefused(response, 403, "platform_disabled");
    }

    @Test
    void refusedLaunchListsEveryBrokenRuleAtOnce() {
        LtiFlow.Login login = flow.login(platform);
        TestLaunch launch = TestLaunch.student(platform, login)
                .with(LtiClaims.VERSION, "1.1")
                .without(LtiClaims.ROLES)
                .with(LtiClaims.DEPLOYMENT_ID, "unknown");

        HttpResponse<String> response = launch(launch, login);

        assertRefused(response, 400, "version_unsupported");
        assertThat(response.body()).contains("data-code=\"claim_missing\"", "data-code=\"deployment_unknown\"");
    }

    @Test
    void apiCallersGetTheReasonsAsJson() {
        LtiFlow.Login login = flow.login(platform);
        before = DataSnapshot.take(jdbc);

        HttpResponse<String> response = flow.launchAsJson(
                TestLaunch.student(platform, login).with("aud", "x").signed(), login.state());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"invalid_launch\"", "\"code\":\"audience_mismatch\"");
        assertThat(DataSnapshot.take(jdbc)).isEqualTo(before);
    }

    @Test
    void platformWhoseJwksIsDownGetsATryAgainPage() {
        wireMock.stubFor(
                get(urlEqualTo(platform.jwksPath())).willReturn(aResponse().withStatus(503)));
        LtiFlow.Login login = flow.login(platform);

        HttpResponse<String> response = launch(TestLaunch.student(platform, login), login);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("did not answer");
        assertThat(DataSnapshot.take(jdbc)).isEqualTo(before);
    }
}
