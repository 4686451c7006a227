package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.TestBerth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The environment catalogue's admin page and API: status per environment, validated edits, audit. */
@BerthIntegrationTest
class EnvironmentAdminIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${berth.public-url}")
    String baseUrl;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void thePageListsEveryEnvironmentAndFlagsOnesWhoseCommandIsNotInstalled() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        browser.get("/admin/environments/new");

        AdminBrowser.Page created = browser.post("/admin/environments", form("page-missing", "Missing IDE"));

        assertThat(created.status()).isEqualTo(302);
        assertThat(created.redirectPath()).isEqualTo("/admin/environments");
        AdminBrowser.Page list = browser.follow(created);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body())
                .contains("Added Missing IDE.")
                .contains("Terminal", "Built into Berth", "Jupyter Notebook", "code-server", "RStudio Server")
                .contains("Not installed on this server: berth-missing-ide not found on PATH.");
        assertThat(row(list.body(), "terminal")).contains("Ready");
        assertThat(row(list.body(), "page-missing"))
                .contains("Not installed", "berth-missing-ide --port={port}", "5 min", "512 MiB", "0.5 CPU");
        AdminBrowser.Page dashboard = browser.get("/admin");
        assertThat(dashboard.body())
                .contains("environments-warning", "not installed on this server", "href=\"/admin/environments\"");
        assertThat(audit("environment:page-missing")).containsExactly("environment.create");
    }

    @Test
    void badInputIsRefusedWithMessagesPerFieldAndChangesNothing() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        browser.get("/admin/environments/new");
        Map<String, String> bad = form("Not A Key", "");
        bad.put("command", "jupyter lab");
        bad.put("port", "70000");
        bad.put("cpuMillis", "0");
        bad.put("memoryMib", "lots");
        bad.put("healthPath", "health");
        bad.put("env", "[1]");
        long before = count();

        AdminBrowser.Page refused = browser.post("/admin/environments", bad);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body())
                .contains("The environment was not saved")
                .contains("Use 1 to 63 lower-case letters")
                .contains("Give a name of 1 to 200 characters.")
                .contains("Write the command as a JSON array")
                .contains("Give a port between 1 and 65535.")
                .contains("Give a whole number of millicores")
                .contains("Give a whole number of MiB")
                .contains("Give a path that starts with / or {base_path}")
                .contains("Write the variables as a JSON object")
                .contains("aria-invalid=\"true\"");
        assertThat(count()).isEqualTo(before);

        AdminBrowser.Page duplicate = browser.post("/admin/environments", form("jupyter", "Second Jupyter"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body()).contains("An environment with the key jupyter already exists.");

        browser.get("/admin/environments/jupyter/edit");
        Map<String, String> edit = form("ignored", "Jupyter renamed");
        edit.put("startTimeoutSeconds", "-5");
        AdminBrowser.Page badEdit = browser.post("/admin/environments/jupyter", edit);
        assertThat(badEdit.status()).isEqualTo(400);
        assertThat(jdbc.sql("SELECT name FROM environment WHERE key = 'jupyter'")
                        .query(String.class)
                        .single())
                .isEqualTo("Jupyter Notebook");
        assertThat(browser.get("/admin/environments/nope/edit").status()).isEqualTo(404);
        assertThat(audit("environment:jupyter")).isEmpty();
    }

    @Test
    void anAdminEditsAnEnvironmentAndDisablesItAndEachChangeIsAudited() {
        AdminBrowser browser = AdminBrowser.signedIn(baseUrl);
        browser.get("/admin/environments/new");
        browser.post("/admin/environments", form("page-edit", "Editable"));

        AdminBrowser.Page editForm = browser.get("/admin/environments/page-edit/edit");
        assertThat(editForm.body()).contains("Edit Editable", "berth-missing-ide", "{port}");
        Map<String, String> edit = form("ignored", "Python server");
        edit.put("command", "[\"python3\", \"-m\", \"http.server\", \"{port}\"]");
        edit.put("idleTimeoutSeconds", "900");
        AdminBrowser.Page saved = browser.post("/admin/environments/page-edit", edit);
        assertThat(saved.status()).isEqualTo(302);
        assertThat(row(browser.follow(saved).body(), "page-edit"))
                .contains("Python server", "python3 -m http.server {port}", "15 min")
                .contains("Ready");

        AdminBrowser.Page disabled = browser.post("/admin/environments/page-edit/enabled", Map.of("enabled", "false"));
        assertThat(disabled.status()).isEqualTo(302);
        assertThat(row(browser.follow(disabled).body(), "page-edit")).contains("Disabled", ">Enable<");
        assertThat(jdbc.sql("SELECT enabled FROM environment WHERE key = 'page-edit'")
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(audit("environment:page-edit"))
                .containsExactly("environment.create", "environment.update", "environment.disable");
    }

    @Test
    void theApiListsCreatesAndEditsEnvironmentsWithTheSameRules() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/api/admin/environments", null, false);
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> list = send("GET", "/api/admin/environments", null, true);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode terminal = find(JSON.readTree(list.body()), "terminal");
        assertThat(terminal.get("availability").get("status").asString()).isEqualTo("READY");
        assertThat(terminal.get("kind").asString()).isEqualTo("terminal");

        String body = """
                {"key": "api-missing", "name": "API IDE", "command": ["berth-api-missing", "{port}"],
                 "idleTimeoutSeconds": 120, "env": {"MODE": "test"}}
                """;
        HttpResponse<String> created = send("POST", "/api/admin/environments", body, true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location").orElseThrow())
                .isEqualTo(baseUrl + "/api/admin/environments/api-missing");
        JsonNode entry = JSON.readTree(created.body());
        assertThat(entry.get("availability").get("status").asString()).isEqualTo("NOT_INSTALLED");
        assertThat(entry.get("availability").get("detail").asString()).isEqualTo("berth-api-missing");
        assertThat(entry.get("env").get("MODE").asString()).isEqualTo("test");

        assertThat(send("POST", "/api/admin/environments", body, true).statusCode())
                .as("the same key twice")
                .isEqualTo(409);
        HttpResponse<String> invalid =
                send("POST", "/api/admin/environments", "{\"key\": \"API!\", \"name\": \"x\", \"port\": 0}", true);
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode fields = JSON.readTree(invalid.body()).get("fields");
        assertThat(fields.has("key")).isTrue();
        assertThat(fields.has("port")).isTrue();
        assertThat(fields.has("command"))
                .as("a program needs a command or an image")
                .isTrue();
        assertThat(send("POST", "/api/admin/environments", "{\"command\": \"sh\"}", true)
                        .statusCode())
                .as("a command that is not an array")
                .isEqualTo(400);
        assertThat(send("PUT", "/api/admin/environments/nobody", body, true).statusCode())
                .isEqualTo(404);

        HttpResponse<String> updated = send(
                "PUT",
                "/api/admin/environments/api-missing",
                "{\"name\": \"API IDE\", \"image\": \"example/ide:1\", \"enabled\": false}",
                true);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode after = JSON.readTree(updated.body());
        assertThat(after.get("availability").get("status").asString()).isEqualTo("DISABLED");
        assertThat(after.get("command").isNull()).isTrue();
        assertThat(audit("environment:api-missing")).containsExactly("environment.create", "environment.update");
    }

    private static Map<String, String> form(String key, String name) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("key", key);
        form.put("name", name);
        form.put("description", "");
        form.put("kind", "process");
        form.put("command", "[\"berth-missing-ide\", \"--port={port}\"]");
        form.put("image", "");
        form.put("port", "8080");
        form.put("basePathMode", "strip");
        form.put("healthPath", "/");
        form.put("cpuMillis", "500");
        form.put("memoryMib", "512");
        form.put("idleTimeoutSeconds", "300");
        form.put("startTimeoutSeconds", "60");
        form.put("env", "");
        form.put("enabled", "true");
        return form;
    }

    /** The table row of one environment. */
    private static String row(String page, String key) {
        int start = page.indexOf("id=\"environment-" + key + "\"");
        assertThat(start).as("a row for " + key).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    private long count() {
        return jdbc.sql("SELECT count(*) FROM environment").query(Long.class).single();
    }

    private List<String> audit(String target) {
        return jdbc.sql("SELECT action FROM audit WHERE target = ? ORDER BY id")
                .param(target)
                .query(String.class)
                .list();
    }

    private static JsonNode find(JsonNode array, String key) {
        for (JsonNode node : array) {
            if (key.equals(node.get("key").asString())) {
                return node;
            }
        }
        throw new AssertionError("No " + key + " in " + array);
    }

    private HttpResponse<String> send(String method, String path, String body, boolean token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token) {
            request.header("Authorization", "Bearer " + TestBerth.ADMIN_TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
