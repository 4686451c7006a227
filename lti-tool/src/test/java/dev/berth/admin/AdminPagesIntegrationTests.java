package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.lti.Platform;
import dev.berth.lti.PlatformRegistry;
import dev.berth.lti.ToolKey;
import dev.berth.lti.ToolKeys;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.TestBerth;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.util.HtmlUtils;

@BerthIntegrationTest
@TestPropertySource(locations = "classpath:admin-test.properties")
class AdminPagesIntegrationTests {

    @Value("${berth.public-url}")
    String baseUrl;

    @Autowired
    PlatformRegistry registry;

    @Autowired
    ToolKeys keys;

    @Autowired
    JdbcClient jdbc;

    @Test
    void adminPagesWhenSignedOutThenRedirectToTheLoginPage() {
        AdminBrowser browser = new AdminBrowser(baseUrl);

        AdminBrowser.Page dashboard = browser.get("/admin");

        assertThat(dashboard.status()).isEqualTo(302);
        assertThat(dashboard.redirectPath()).isEqualTo("/admin/login");
        AdminBrowser.Page login = browser.follow(dashboard);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body())
                .contains("name=\"username\"", "name=\"password\"", "name=\"_csrf\"", "<label for=\"password\"");
    }

    @Test
    void signInWithAWrongPasswordIsRejectedWithAMessage() {
        AdminBrowser browser = new AdminBrowser(baseUrl);

        AdminBrowser.Page result = browser.signIn(TestBerth.ADMIN_USER, "not-the-password");

        assertThat(result.redirectPath()).isEqualTo("/admin/login?error");
        assertThat(browser.follow(result).body()).contains("That user name and password do not match");
        assertThat(browser.get("/admin").status()).as("still signed out").isEqualTo(302);
    }

    @Test
    void signInWithTheRightPasswordOpensTheDashboardWithBerthsValuesToPaste() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);

        AdminBrowser.Page dashboard = browser.get("/admin");

        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.body())
                .contains(
                        baseUrl + "/lti/login",
                        baseUrl + "/lti/launch",
                        baseUrl + "/lti/deep-linking",
                        baseUrl + "/.well-known/jwks.json",
                        baseUrl + "/lti/config/canvas.json",
                        "Developer Keys",
                        "Manage tools",
                        "Manage Extensibility");
    }

    @Test
    void signOutEndsTheSession() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        browser.get("/admin");

        AdminBrowser.Page result = browser.post("/admin/logout", Map.of());

        assertThat(result.redirectPath()).isEqualTo("/admin/login?logout");
        assertThat(browser.follow(result).body()).contains("You have signed out.");
        assertThat(browser.get("/admin").status()).isEqualTo(302);
    }

    @Test
    void aFormPostWithoutACsrfTokenIsRefusedAndSavesNothing() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        TestPlatforms.Builder canvas = TestPlatforms.canvas();
        int before = registry.all().size();

        AdminBrowser.Page result = browser.postRaw("/admin/platforms", canvas.form());

        assertThat(result.status()).isEqualTo(403);
        assertThat(registry.all()).hasSize(before);
    }

    @Test
    void registeringAPlatformThroughTheFormShowsItsPageWithASuccessMessage() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        TestPlatforms.Builder canvas = TestPlatforms.canvas();
        browser.get("/admin/platforms/new");

        AdminBrowser.Page created = browser.post("/admin/platforms", canvas.form());

        assertThat(created.status()).isEqualTo(302);
        Platform platform = stored(canvas);
        assertThat(platform.source()).isEqualTo("admin");
        assertThat(platform.deploymentIds()).isEqualTo(canvas.get("deploymentIds"));
        assertThat(created.redirectPath()).isEqualTo("/admin/platforms/" + platform.id());
        AdminBrowser.Page page = browser.follow(created);
        assertThat(page.body())
                .contains("Registered " + canvas.get("name"), platform.clientId(), baseUrl + "/lti/login");
        assertThat(browser.get("/admin/platforms/" + platform.id()).body())
                .as("the success message shows once")
                .doesNotContain("Registered " + canvas.get("name"));
        assertThat(browser.get("/admin").body()).contains((String) canvas.get("name"));
    }

    @Test
    void anInvalidFormIsShownAgainWithAnErrorNextToEachFieldAndSavesNothing() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        TestPlatforms.Builder broken = TestPlatforms.canvas()
                .with("issuer", "canvas.instructure.com")
                .with("jwksUrl", "")
                .with("deploymentIds", java.util.List.of())
                .with("frameOrigins", java.util.List.of("https://lms.example.edu/path"));
        int before = registry.all().size();
        browser.get("/admin/platforms/new");

        AdminBrowser.Page page = browser.post("/admin/platforms", broken.form());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("The platform was not saved")
                .contains("id=\"issuer-error\"", "must be an http:// or https:// URL")
                .contains("id=\"jwksUrl-error\"")
                .contains("id=\"deploymentIds-error\"", "must list at least one deployment ID")
                .contains("id=\"frameOrigins-error\"", "must be an origin such as")
                .contains("value=\"canvas.instructure.com\"")
                .doesNotContain("id=\"clientId-error\"");
        assertThat(page.body())
                .as("invalid fields are marked for styling and assistive technology")
                .contains("aria-invalid=\"true\"", "class=\"invalid\"");
        assertThat(registry.all()).hasSize(before);
    }

    @Test
    void registeringTheSameIssuerAndClientIdTwiceIsRefusedOnTheForm() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        TestPlatforms.Builder canvas = TestPlatforms.canvas();
        browser.get("/admin/platforms/new");
        browser.post("/admin/platforms", canvas.form());
        browser.get("/admin/platforms/new");

        AdminBrowser.Page page = browser.post(
                "/admin/platforms", canvas.with("name", "Another name").form());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"clientId-error\"", "is already registered");
    }

    @Test
    void editingAPlatformSavesTheNewValuesAndAuditsTheChange() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        Platform platform = registry.create(draft(TestPlatforms.brightspace()), "admin", "test");
        String path = "/admin/platforms/" + platform.id();
        AdminBrowser.Page form = browser.get(path + "/edit");
        assertThat(form.body()).contains("value=\"" + platform.clientId() + "\"");

        AdminBrowser.Page saved = browser.post(
                path,
                TestPlatforms.brightspace()
                        .with("name", "Renamed Brightspace")
                        .with("clientId", platform.clientId())
                        .with("deploymentIds", java.util.List.of("dep-a", "dep-b"))
                        .form());

        assertThat(saved.redirectPath()).isEqualTo(path);
        assertThat(browser.follow(saved).body()).contains("Saved Renamed Brightspace.");
        Platform updated = registry.find(platform.id()).orElseThrow();
        assertThat(updated.name()).isEqualTo("Renamed Brightspace");
        assertThat(updated.deploymentIds()).containsExactly("dep-a", "dep-b");
        assertThat(auditActions("platform:" + platform.id())).contains("platform.update");
        assertThat(auditActors("platform:" + platform.id())).contains(TestBerth.ADMIN_USER);
    }

    @Test
    void disablingAndEnablingAPlatformFlipsWhetherItsLaunchesAreAccepted() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        Platform platform = registry.create(draft(TestPlatforms.canvas()), "admin", "test");
        String path = "/admin/platforms/" + platform.id();
        browser.get(path);

        AdminBrowser.Page disabled = browser.post(path + "/enabled", Map.of("enabled", "false"));

        assertThat(browser.follow(disabled).body()).contains("is disabled");
        assertThat(registry.find(platform.id()).orElseThrow().enabled()).isFalse();
        browser.get(path);
        browser.post(path + "/enabled", Map.of("enabled", "true"));
        assertThat(registry.find(platform.id()).orElseThrow().enabled()).isTrue();
    }

    @Test
    void deletingAPlatformWithoutCoursesRemovesIt() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        Platform platform = registry.create(draft(TestPlatforms.canvas()), "admin", "test");
        browser.get("/admin/platforms/" + platform.id());

        AdminBrowser.Page deleted = browser.post("/admin/platforms/" + platform.id() + "/delete", Map.of());

        assertThat(deleted.redirectPath()).isEqualTo("/admin");
        assertThat(browser.follow(deleted).body()).contains("Deleted " + HtmlUtils.htmlEscape(platform.name()));
        assertThat(registry.find(platform.id())).isEmpty();
        assertThat(browser.get("/admin/platforms/" + platform.id()).status()).isEqualTo(404);
    }

    @Test
    void deletingAPlatformWithCoursesKeepsItAndOffersToDisableIt() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        Platform platform = registry.create(draft(TestPlatforms.canvas()), "admin", "test");
        withCourse(platform);
        browser.get("/admin/platforms/" + platform.id());

        AdminBrowser.Page refused = browser.post("/admin/platforms/" + platform.id() + "/delete", Map.of());

        assertThat(refused.redirectPath()).isEqualTo("/admin/platforms/" + platform.id());
        AdminBrowser.Page page = browser.follow(refused);
        assertThat(page.body())
                .contains("has courses in Berth, so it was not deleted")
                .contains("name=\"enabled\" value=\"false\"");
        assertThat(registry.find(platform.id())).isPresent();
    }

    @Test
    void aPlatformFromTheConfigurationIsListedWithSourceConfigurationAndAWarningThatEditsAreOverwritten() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        Platform configured = registry.lookup("https://moodle.config.example", "config-client")
                .platform()
                .orElseThrow();

        assertThat(configured.source()).isEqualTo("config");
        assertThat(configured.product()).isEqualTo("moodle");
        assertThat(configured.enabled())
                .as("enabled unless the configuration says otherwise")
                .isTrue();
        assertThat(browser.get("/admin").body()).contains("Configured Moodle", "Configuration");
        assertThat(browser.get("/admin/platforms/" + configured.id()).body())
                .contains("Edits made here are overwritten when Berth restarts");
        assertThat(browser.get("/admin/platforms/" + configured.id() + "/edit").body())
                .contains("Edits made here are overwritten when Berth restarts");
    }

    @Test
    void rotatingKeysFromThePagePublishesANextKeyBesideTheActiveOne() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        AdminBrowser.Page page = browser.get("/admin/keys");
        assertThat(page.body()).contains("Rotate now", "1 hour", "Active");

        AdminBrowser.Page rotated = browser.post("/admin/keys/rotate", Map.of());

        assertThat(rotated.redirectPath()).isEqualTo("/admin/keys");
        ToolKey next = keys.list().stream()
                .filter(key -> key.state() == ToolKey.State.NEXT)
                .findFirst()
                .orElseThrow();
        assertThat(browser.follow(rotated).body()).contains("New key " + next.kid() + " is published", "Next");
        String jwks = org.springframework.web.client.RestClient.create(baseUrl)
                .get()
                .uri("/.well-known/jwks.json")
                .retrieve()
                .body(String.class);
        ToolKey active = keys.list().stream()
                .filter(key -> key.state() == ToolKey.State.ACTIVE)
                .findFirst()
                .orElseThrow();
        assertThat(jwks).contains(next.kid(), active.kid());
        assertThat(auditActions("tool_key:" + next.kid())).contains("key.rotate");
    }

    @Test
    void theAuditPageListsRecentChanges() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        Platform platform = registry.create(draft(TestPlatforms.canvas()), "admin", "someone");

        AdminBrowser.Page audit = browser.get("/admin/audit");

        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).contains("platform.create", "platform:" + platform.id(), "someone");
    }

    private Platform stored(TestPlatforms.Builder builder) {
        return registry.lookup((String) builder.get("issuer"), (String) builder.get("clientId"))
                .platform()
                .orElseThrow(() -> new AssertionError("the platform was not stored"));
    }

    private static dev.berth.lti.PlatformDraft draft(TestPlatforms.Builder builder) {
        @SuppressWarnings("unchecked")
        java.util.List<String> deployments = (java.util.List<String>) builder.get("deploymentIds");
        @SuppressWarnings("unchecked")
        java.util.List<String> origins = (java.util.List<String>) builder.get("frameOrigins");
        return new dev.berth.lti.PlatformDraft(
                (String) builder.get("name"),
                (String) builder.get("issuer"),
                (String) builder.get("clientId"),
                (String) builder.get("product"),
                (String) builder.get("authUrl"),
                (String) builder.get("tokenUrl"),
                (String) builder.get("jwksUrl"),
                (String) builder.get("tokenAudience"),
                origins,
                deployments,
                true);
    }

    private void withCourse(Platform platform) {
        jdbc.sql("INSERT INTO course (platform_id, deployment_id, context_id, title) VALUES"
                        + " (?, (SELECT id FROM deployment WHERE platform_id = ? AND deployment_id = ?), ?, ?)")
                .params(
                        platform.id(),
                        platform.id(),
                        platform.deploymentIds().getFirst(),
                        "ctx-" + platform.id(),
                        "Intro to Programming")
                .update();
    }

    private java.util.List<String> auditActions(String target) {
        return jdbc.sql("SELECT action FROM audit WHERE target = ? ORDER BY id")
                .param(target)
                .query(String.class)
                .list();
    }

    private java.util.List<String> auditActors(String target) {
        return jdbc.sql("SELECT actor FROM audit WHERE target = ? ORDER BY id")
                .param(target)
                .query(String.class)
                .list();
    }
}
