package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.lti.Platform;
import dev.berth.lti.PlatformRegistry;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.TestBerth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@BerthIntegrationTest
@TestPropertySource(locations = "classpath:admin-test.properties")
class AdminApiIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${berth.public-url}")
    String baseUrl;

    @Autowired
    PlatformRegistry registry;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void callsWithoutATokenAreRefusedWithABearerChallenge() {
        HttpResponse<String> response = send("GET", "/api/admin/platforms", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void callsWithAWrongTokenAreRefusedAndChangeNothing() {
        int before = registry.all().size();

        HttpResponse<String> response = send(
                "POST",
                "/api/admin/platforms",
                "wrong-token",
                TestPlatforms.canvas().json());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).contains("invalid_token"));
        assertThat(registry.all()).hasSize(before);
    }

    @Test
    void aPlatformCanBeCreatedReadUpdatedAndDeleted() {
        TestPlatforms.Builder brightspace = TestPlatforms.brightspace();

        HttpResponse<String> created = admin("POST", "/api/admin/platforms", brightspace.json());

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        long id = body.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue(baseUrl + "/api/admin/platforms/" + id);
        assertThat(body.get("source").asString()).isEqualTo("api");
        assertThat(body.get("tokenAudience").asString()).isEqualTo("https://api.brightspace.com/auth/token");

        JsonNode read = json(admin("GET", "/api/admin/platforms/" + id, null));
        assertThat(read.get("clientId").asString()).isEqualTo(brightspace.get("clientId"));
        assertThat(json(admin("GET", "/api/admin/platforms", null)).findValuesAsString("clientId"))
                .contains((String) brightspace.get("clientId"));

        HttpResponse<String> updated = admin(
                "PUT",
                "/api/admin/platforms/" + id,
                brightspace
                        .with("enabled", false)
                        .with("deploymentIds", List.of("d1", "d2"))
                        .json());
        assertThat(updated.statusCode()).isEqualTo(200);
        Platform stored = registry.find(id).orElseThrow();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.deploymentIds()).containsExactly("d1", "d2");

        HttpResponse<String> deleted = admin("DELETE", "/api/admin/platforms/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(registry.find(id)).isEmpty();
        assertThat(auditActors("platform:" + id))
                .as("every change is audited with the actor api")
                .containsExactly("api", "api", "api");
        assertThat(auditActions("platform:" + id))
                .containsExactly("platform.create", "platform.update", "platform.delete");
    }

    @Test
    void omittedProductAndEnabledTakeTheirDefaults() {
        HttpResponse<String> created = admin(
                "POST",
                "/api/admin/platforms",
                TestPlatforms.canvas().without("product").without("enabled").json());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("product").asString()).isEqualTo("other");
        assertThat(json(created).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void anInvalidPlatformIsRefusedNamingEachFieldAndNothingIsStored() {
        int before = registry.all().size();
        String invalid = TestPlatforms.canvas()
                .with("issuer", "not a url")
                .with("clientId", " ")
                .with("deploymentIds", List.of())
                .with("product", "blackboard")
                .json();

        HttpResponse<String> response = admin("POST", "/api/admin/platforms", invalid);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("error").asString()).isEqualTo("invalid_platform");
        assertThat(body.get("fields").propertyNames())
                .containsExactlyInAnyOrder("issuer", "clientId", "deploymentIds", "product");
        assertThat(body.get("fields").get("issuer").get(0).asString()).isEqualTo("must be an http:// or https:// URL");
        assertThat(body.get("fields").get("deploymentIds").get(0).asString())
                .isEqualTo("must list at least one deployment ID");
        assertThat(registry.all()).hasSize(before);
    }

    @Test
    void anInvalidUpdateLeavesThePlatformAsItWas() {
        TestPlatforms.Builder canvas = TestPlatforms.canvas();
        long id = json(admin("POST", "/api/admin/platforms", canvas.json()))
                .get("id")
                .asLong();
        Platform before = registry.find(id).orElseThrow();

        HttpResponse<String> response = admin(
                "PUT",
                "/api/admin/platforms/" + id,
                canvas.with("jwksUrl", "ftp://x").json());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(registry.find(id)).contains(before);
    }

    @Test
    void malformedJsonIsA400WithAJsonBodyAndNoStackTrace() {
        int before = registry.all().size();

        HttpResponse<String> response = admin("POST", "/api/admin/platforms", "{\"name\": \"x\", ");
        HttpResponse<String> wrongShape = admin("POST", "/api/admin/platforms", "{\"deploymentIds\": {\"a\": 1}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("malformed_json");
        assertThat(response.body()).doesNotContain("Exception", "at tools.", "at org.");
        assertThat(wrongShape.statusCode()).isEqualTo(400);
        assertThat(json(wrongShape).get("error").asString()).isEqualTo("malformed_json");
        assertThat(registry.all()).hasSize(before);
    }

    @Test
    void anUnknownPlatformIsA404() {
        assertThat(admin("GET", "/api/admin/platforms/999999", null).statusCode())
                .isEqualTo(404);
        assertThat(admin(
                                "PUT",
                                "/api/admin/platforms/999999",
                                TestPlatforms.canvas().json())
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> delete = admin("DELETE", "/api/admin/platforms/999999", null);
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(json(delete).get("error").asString()).isEqualTo("not_found");
        assertThat(admin("GET", "/api/admin/platforms/abc", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aSecondRegistrationOfTheSameIssuerAndClientIdIsAConflict() {
        TestPlatforms.Builder canvas = TestPlatforms.canvas();
        admin("POST", "/api/admin/platforms", canvas.json());
        int before = registry.all().size();

        HttpResponse<String> response = admin(
                "POST", "/api/admin/platforms", canvas.with("name", "Twin").json());

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asString()).isEqualTo("duplicate_platform");
        assertThat(registry.all()).hasSize(before);
    }

    @Test
    void deletingAPlatformWithCoursesIsAConflictThatKeepsIt() {
        long id = json(admin(
                        "POST", "/api/admin/platforms", TestPlatforms.canvas().json()))
                .get("id")
                .asLong();
        Platform platform = registry.find(id).orElseThrow();
        jdbc.sql("INSERT INTO course (platform_id, deployment_id, context_id) VALUES"
                        + " (?, (SELECT id FROM deployment WHERE platform_id = ? AND deployment_id = ?), ?)")
                .params(id, id, platform.deploymentIds().getFirst(), "ctx-api-" + id)
                .update();

        HttpResponse<String> response = admin("DELETE", "/api/admin/platforms/" + id, null);

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = json(response);
        assertThat(body.get("error").asString()).isEqualTo("platform_has_courses");
        assertThat(body.get("message").asString()).contains("Disable it instead");
        assertThat(registry.find(id)).isPresent();
    }

    @Test
    void theConfiguredPlatformIsListedWithSourceConfig() {
        JsonNode platforms = json(admin("GET", "/api/admin/platforms", null));

        assertThat(platforms
                        .valueStream()
                        .filter(p -> p.get("clientId").asString().equals("config-client"))
                        .map(p -> p.get("source").asString()))
                .containsExactly("config");
    }

    @Test
    void rotatingKeysThroughTheApiPublishesANextKeyBesideTheActiveOne() {
        HttpResponse<String> rotated = admin("POST", "/api/admin/keys/rotate", "{\"reason\": \"scheduled rotation\"}");

        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode next = json(rotated);
        assertThat(next.get("state").asString()).isEqualTo("NEXT");
        String kid = next.get("kid").asString();
        JsonNode keys = json(admin("GET", "/api/admin/keys", null)).get("keys");
        assertThat(keys.valueStream().map(k -> k.get("state").asString())).contains("ACTIVE", "NEXT");
        String activeKid = keys.valueStream()
                .filter(k -> k.get("state").asString().equals("ACTIVE"))
                .findFirst()
                .orElseThrow()
                .get("kid")
                .asString();
        String jwks = send("GET", "/.well-known/jwks.json", null, null).body();
        assertThat(jwks).contains(kid, activeKid);
        assertThat(auditActions("tool_key:" + kid)).contains("key.rotate");
        assertThat(admin("POST", "/api/admin/keys/rotate", null).statusCode())
                .as("rotating again while a key is pending is safe and returns the pending key")
                .isEqualTo(200);
    }

    @Test
    void theCanvasJsonConfigurationIsPublicAndNamesBerthsUrls() {
        HttpResponse<String> response = send("GET", "/lti/config/canvas.json", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode config = json(response);
        assertThat(config.get("oidc_initiation_url").asString()).isEqualTo(baseUrl + "/lti/login");
        assertThat(config.get("target_link_uri").asString()).isEqualTo(baseUrl + "/lti/launch");
        assertThat(config.get("public_jwk_url").asString()).isEqualTo(baseUrl + "/.well-known/jwks.json");
        assertThat(config.get("scopes").valueStream().map(JsonNode::asString))
                .contains(
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly");
        JsonNode canvas = config.get("extensions").get(0);
        assertThat(canvas.get("platform").asString()).isEqualTo("canvas.instructure.com");
        assertThat(canvas.get("privacy_level").asString()).isEqualTo("public");
        JsonNode placements = canvas.get("settings").get("placements");
        assertThat(placements.valueStream().map(p -> p.get("placement").asString()))
                .containsExactly("course_navigation", "assignment_selection", "link_selection");
        assertThat(placements.get(1).get("message_type").asString()).isEqualTo("LtiDeepLinkingRequest");
        assertThat(placements.get(1).get("target_link_uri").asString()).isEqualTo(baseUrl + "/lti/deep-linking");
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return send(method, path, TestBerth.ADMIN_TOKEN, body);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private List<String> auditActions(String target) {
        return jdbc.sql("SELECT action FROM audit WHERE target = ? ORDER BY id")
                .param(target)
                .query(String.class)
                .list();
    }

    private List<String> auditActors(String target) {
        return jdbc.sql("SELECT actor FROM audit WHERE target = ? ORDER BY id")
                .param(target)
                .query(String.class)
                .list();
    }
}
