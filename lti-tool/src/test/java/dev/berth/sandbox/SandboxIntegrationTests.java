package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.lti.LtiClaims;
import dev.berth.lti.LtiProperties;
import dev.berth.lti.Platform;
import dev.berth.lti.PlatformRegistry;
import dev.berth.testing.BerthIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.util.HtmlUtils;

/** The sandbox's protocol, followed by hand without a browser: every redirect and form post, one at a time. */
@BerthIntegrationTest
@Import(SandboxConfiguration.class)
@TestPropertySource(properties = "sandbox.port=0")
class SandboxIntegrationTests {

    private static final Pattern HIDDEN_FIELD =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]* action=\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Autowired
    SandboxServer sandbox;

    @Autowired
    LtiProperties berth;

    @Autowired
    SandboxRegistration registration;

    @Autowired
    PlatformRegistry registry;

    @Test
    void canvasLaunchCarriesCanvasShapedLoginAndIdToken() throws Exception {
        Form login = form(get(sandbox.baseUrl() + "/canvas/launch?course=ds210&link=notebook1&as=amara&target=iframe"));
        assertThat(login.action()).isEqualTo(berth.loginUrl());
        assertThat(login.fields())
                .containsEntry("iss", sandbox.baseUrl() + "/canvas")
                .containsEntry("deployment_id", "27:4f0c2d1b8e9a7c6d5e4f3a2b1c0d9e8f7a6b5c4d")
                .containsEntry("lti_storage_target", "post_message_forwarding")
                .containsKeys("canvas_region", "lti_message_hint");
        assertThat(login.fields().get("lti_message_hint").split("\\.")).hasSize(3);

        SignedJWT token = idToken(login);
        JWTClaimsSet claims = token.getJWTClaimsSet();

        assertThat(token.getPayload().toJSONObject().get("aud"))
                .as("Canvas sends aud as one string")
                .isEqualTo("10000000000042");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
                .isEqualTo(3_600_000L);
        assertThat(claims.getStringClaim("https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id"))
                .hasSize(40);
        assertThat(claims.getJSONObjectClaim(LtiClaims.TOOL_PLATFORM)).containsEntry("product_family_code", "canvas");
        assertThat(claims.getJSONObjectClaim(LtiClaims.LIS)).containsEntry("course_section_sourcedid", "SIS-DS210-01");
        assertThat(claims.getJSONObjectClaim(LtiClaims.NRPS).get("context_memberships_url"))
                .asString()
                .startsWith(sandbox.baseUrl() + "/canvas/api/lti/courses/");
    }

    @Test
    void brightspaceLaunchRedirectsToLoginAndSendsAudienceArrayWithAzp() throws Exception {
        HttpResponse<String> start =
                get(sandbox.baseUrl() + "/brightspace/launch?course=web110&link=portfolio&as=jonas&target=window");
        assertThat(start.statusCode()).isEqualTo(302);
        String loginUrl = start.headers().firstValue("Location").orElseThrow();
        assertThat(loginUrl).startsWith(berth.loginUrl() + "?");

        JWTClaimsSet claims = idTokenAfterLogin(loginUrl).getJWTClaimsSet();

        assertThat(claims.getAudience())
                .containsExactly("6f1c2e4a-93b7-4d8e-a5f0-2b7c9d1e3f46", "https://api.brightspace.com/auth/token");
        assertThat(claims.getStringClaim("azp")).isEqualTo("6f1c2e4a-93b7-4d8e-a5f0-2b7c9d1e3f46");
        assertThat(claims.getJSONObjectClaim("http://www.brightspace.com"))
                .containsKeys("tenant_id", "org_defined_id", "user_id", "username");
        assertThat(claims.getStringListClaim(LtiClaims.ROLES))
                .contains("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant");
    }

    @Test
    void moodleAnonymousLaunchHasNumericHintsAndNoNameOrEmail() throws Exception {
        Form login = form(get(sandbox.baseUrl() + "/moodle/launch?course=math204&link=roots&as=anonymous"));
        assertThat(login.fields().get("login_hint")).containsOnlyDigits();
        assertThat(login.fields().get("lti_deployment_id")).isEqualTo("3");
        assertThat(login.fields().get("lti_message_hint")).startsWith("{\"cmid\":\"7\"");

        JWTClaimsSet claims = idToken(login).getJWTClaimsSet();

        assertThat(claims.getClaims()).doesNotContainKeys("name", "given_name", "family_name", "email");
        assertThat(claims.getSubject()).containsOnlyDigits();
    }

    @Test
    void authorizationRequestWithAnotherRedirectUriIsRefused() throws Exception {
        Form login = form(get(sandbox.baseUrl() + "/canvas/launch?course=cs101&link=lab1&as=mei"));
        String authorize = post(login).headers().firstValue("Location").orElseThrow();
        String redirect = URLEncoder.encode(berth.launchUrl(), StandardCharsets.UTF_8);
        String forged = authorize.replace(
                "redirect_uri=" + redirect,
                "redirect_uri=" + URLEncoder.encode("http://localhost:1/steal", StandardCharsets.UTF_8));
        assertThat(forged).isNotEqualTo(authorize);

        HttpResponse<String> refused = get(forged);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(HtmlUtils.htmlUnescape(refused.body())).contains("redirect_uri must be \"" + berth.launchUrl());
    }

    @Test
    void authorizationRequestWithHintTheSandboxNeverIssuedIsRefused() throws Exception {
        HttpResponse<String> refused = get(sandbox.baseUrl() + "/moodle/authorize?scope=openid&response_type=id_token"
                + "&response_mode=form_post&prompt=none&client_id=kR7xW2pQ9mZ4vN1&redirect_uri="
                + URLEncoder.encode(berth.launchUrl(), StandardCharsets.UTF_8)
                + "&login_hint=5&lti_message_hint=forged&state=s&nonce=n");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("lti_message_hint is not one Moodle issued");
    }

    @Test
    void sandboxPagesAreNotFoundOnBerthsPortAndBerthsPagesNotOnTheSandboxPort() throws Exception {
        assertThat(get(berth.url("/canvas/jwks")).statusCode()).isEqualTo(404);
        assertThat(get(berth.url("/moodle/launch?course=math204&link=roots&as=mei"))
                        .statusCode())
                .isEqualTo(404);
        assertThat(get(sandbox.baseUrl() + "/lti/login?iss=x").statusCode()).isEqualTo(404);
        assertThat(get(sandbox.baseUrl() + "/.well-known/jwks.json").statusCode())
                .isEqualTo(404);
        assertThat(get(sandbox.baseUrl() + "/admin").statusCode()).isEqualTo(404);
        assertThat(get(sandbox.baseUrl() + "/").body()).contains("Berth sandbox LMS");
        assertThat(get(berth.url("/")).body()).doesNotContain("Berth sandbox LMS");
    }

    @Test
    void registeringAgainUpdatesTheSameRegistrationsInsteadOfAddingNewOnes() {
        List<Long> before = registration.registered().stream().map(Platform::id).toList();
        int platforms = registry.all().size();

        List<Platform> again = registration.register();

        assertThat(again).extracting(Platform::id).containsExactlyElementsOf(before);
        assertThat(registry.all()).hasSize(platforms);
        assertThat(again)
                .allSatisfy(platform -> assertThat(platform.frameOrigins()).containsExactly(sandbox.baseUrl()));
        assertThat(again.getFirst().deploymentIds())
                .containsExactlyInAnyOrder(
                        "12:8865aa05b4b79b64a91a86042e43af5ea8ae79eb", "27:4f0c2d1b8e9a7c6d5e4f3a2b1c0d9e8f7a6b5c4d");
    }

    /** Posts the login form to Berth, follows Berth's redirect to the sandbox's authorize, returns the id_token. */
    private SignedJWT idToken(Form login) throws IOException, InterruptedException, ParseException {
        HttpResponse<String> toAuthorize = post(login);
        assertThat(toAuthorize.statusCode()).as("Berth's answer to the login").isEqualTo(302);
        return idTokenAfterAuthorize(
                toAuthorize.headers().firstValue("Location").orElseThrow());
    }

    private SignedJWT idTokenAfterLogin(String loginUrl) throws IOException, InterruptedException, ParseException {
        HttpResponse<String> toAuthorize = get(loginUrl);
        assertThat(toAuthorize.statusCode()).as("Berth's answer to the login").isEqualTo(302);
        return idTokenAfterAuthorize(
                toAuthorize.headers().firstValue("Location").orElseThrow());
    }

    /** And checks that Berth accepts the launch: a 303 to one of its course pages. */
    private SignedJWT idTokenAfterAuthorize(String authorizeUrl)
            throws IOException, InterruptedException, ParseException {
        assertThat(authorizeUrl).startsWith(sandbox.baseUrl());
        Form response = form(get(authorizeUrl));
        assertThat(response.action()).isEqualTo(berth.launchUrl());
        assertThat(response.fields()).containsKeys("id_token", "state");
        HttpResponse<String> launched = post(response);
        assertThat(launched.statusCode())
                .as("Berth's answer to the launch: %s", launched.body())
                .isEqualTo(303);
        assertThat(launched.headers().firstValue("Location").orElseThrow()).startsWith("/courses/");
        return SignedJWT.parse(response.fields().get("id_token"));
    }

    private record Form(String action, Map<String, String> fields) {}

    private static Form form(HttpResponse<String> response) {
        assertThat(response.statusCode())
                .as("an auto-posting form: %s", response.body())
                .isEqualTo(200);
        Matcher action = FORM_ACTION.matcher(response.body());
        assertThat(action.find()).as("a form in %s", response.body()).isTrue();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher field = HIDDEN_FIELD.matcher(response.body());
        while (field.find()) {
            fields.put(HtmlUtils.htmlUnescape(field.group(1)), HtmlUtils.htmlUnescape(field.group(2)));
        }
        return new Form(HtmlUtils.htmlUnescape(action.group(1)), fields);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Form form) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.fields().forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return http.send(
                HttpRequest.newBuilder(URI.create(form.action()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
