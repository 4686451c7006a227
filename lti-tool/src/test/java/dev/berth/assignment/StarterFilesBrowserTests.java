package dev.berth.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.berth.lti.PlatformRegistry;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.HeadlessChromium;
import dev.berth.testing.HeadlessChromium.ThirdPartyCookies;
import dev.berth.testing.LtiFlow;
import dev.berth.testing.SharedWireMock;
import dev.berth.testing.TestLaunch;
import dev.berth.testing.TestPlatform;
import dev.berth.web.SessionConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The staff upload form and the reset confirmation in a real Chromium; screenshots for the docs. */
@BerthIntegrationTest
class StarterFilesBrowserTests {

    static WireMockServer wireMock = SharedWireMock.server();

    @Autowired
    PlatformRegistry registry;

    @Autowired
    Workspaces workspaces;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.public-url}")
    String baseUrl;

    @TempDir
    Path profiles;

    private TestPlatform canvas;
    private ChromeDriver browser;
    private UUID workspace;

    @BeforeEach
    void setUp() {
        canvas = TestPlatform.canvas(wireMock).publishKeys();
        registry.upsert(canvas.draft(), "admin", "test");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (workspace != null) {
            workspaces.stop(workspace);
            await(() -> workspaces.find(workspace).orElseThrow().state() == WorkspaceState.STOPPED);
        }
    }

    @Test
    void staffSeeTheirArchiveAndAStudentConfirmsAResetInADialogThatExplainsTheBackup() throws Exception {
        String grace = launch(login -> TestLaunch.instructor(canvas, login));
        long course = jdbc.sql("SELECT max(id) FROM course").query(Long.class).single();
        long assignment =
                jdbc.sql("SELECT max(id) FROM assignment").query(Long.class).single();
        String page = "/courses/" + course + "/assignments/" + assignment;
        upload(
                grace,
                page,
                StarterFilesIntegrationTests.zip(
                        Map.of("README.md", "Start here", "src/main.py", "print(1)", "data/input.csv", "a,b\n1,2\n")));

        browser = HeadlessChromium.start(ThirdPartyCookies.ALLOWED, profiles);
        browser.get(baseUrl + page + "?bsid=" + URLEncoder.encode(grace, StandardCharsets.UTF_8));
        WebElement staff = browser.findElement(By.cssSelector(".starter-files"));
        assertThat(staff.getText()).contains("lab1.zip", "3 files", "Grace Hopper", "Replace starter files");
        screenshot("starter-files.png");

        String ada = launch(login -> TestLaunch.student(canvas, login));
        long person = jdbc.sql("SELECT id FROM person WHERE subject = 'student-ada'")
                .query(Long.class)
                .single();
        workspace = workspaces
                .find("person:" + person, "course:" + course, "terminal")
                .orElseThrow(() -> new AssertionError("a learner's launch starts their workspace"))
                .id();
        await(() -> workspaces.find(workspace).orElseThrow().state() == WorkspaceState.RUNNING
                && workspaces.ready(workspace));
        browser.quit();
        browser = HeadlessChromium.start(ThirdPartyCookies.ALLOWED, profiles);
        // As after Ada's own launch: her session in the cookie. (With only the URL parameter, the first request
        // of the embedded workspace that lacks it makes an anonymous session whose cookie then shadows hers.)
        browser.get(baseUrl + "/css/berth.css");
        browser.manage()
                .addCookie(new Cookie.Builder(SessionConfiguration.COOKIE_NAME, ada)
                        .path("/")
                        .isSecure(true)
                        .sameSite("None")
                        .build());
        browser.get(baseUrl + page + "?bsid=" + URLEncoder.encode(ada, StandardCharsets.UTF_8));
        assertThat(browser.findElements(By.cssSelector(".starter-files")))
                .as("the staff form")
                .isEmpty();
        WebElement dialog = browser.findElement(By.id("starter-reset-dialog"));
        assertThat(dialog.isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("[data-opens=starter-reset-dialog]")).click();
        assertThat(dialog.isDisplayed()).isTrue();
        assertThat(dialog.getText()).contains("Nothing is deleted", "Backups/", "Reset, keeping a backup");
        screenshot("reset-confirm.png");

        dialog.findElement(By.xpath(".//button[text()='Cancel']")).click();
        assertThat(dialog.isDisplayed()).as("cancel closes the dialog").isFalse();
        assertThat(workspaces.resetPending(workspace)).isFalse();

        browser.findElement(By.cssSelector("[data-opens=starter-reset-dialog]")).click();
        dialog.findElement(By.xpath(".//button[text()='Reset, keeping a backup']"))
                .click();
        await(() -> !browser.findElements(By.cssSelector(".starter-resetting")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".starter-resetting")).getText())
                .contains("Resetting your workspace");
        assertThat(browser.findElements(By.cssSelector("ol.steps")))
                .as("the reset's steps, as the workspace restarts")
                .isNotEmpty();
        screenshot("reset-underway.png");
        await(() -> browser.findElements(By.cssSelector(".starter-resetting")).isEmpty());
        assertThat(workspaces.resetPending(workspace))
                .as("the page reloads once the reset is done")
                .isFalse();
        assertThat(browser.findElements(By.cssSelector("iframe.ide-frame")))
                .as("back in the IDE")
                .hasSize(1);
        assertThat(workspaces.events(workspace, 0))
                .extracting(event -> event.message())
                .contains("Restored the starter files");
    }

    private String launch(Function<LtiFlow.Login, TestLaunch> claims) {
        LtiFlow flow = new LtiFlow(baseUrl);
        LtiFlow.Login login = flow.login(canvas);
        HttpResponse<String> response = flow.launch(claims.apply(login).signed(), login.state());
        String location = response.headers().firstValue("Location").orElseThrow();
        Matcher bsid = Pattern.compile("[?&]bsid=([^&#]+)").matcher(location);
        assertThat(bsid.find()).isTrue();
        return URLDecoder.decode(bsid.group(1), StandardCharsets.UTF_8);
    }

    private void upload(String session, String page, byte[] archive) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String query = "?bsid=" + URLEncoder.encode(session, StandardCharsets.UTF_8);
        String html = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + page + query))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(csrf.find()).isTrue();
        String boundary = "berth-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf.group(1)
                        + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"lab1.zip\"\r\n"
                        + "Content-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(archive);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl + page + "/starter-files" + query))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
    }

    /** Saves the page; {@code -Dberth.docs.screenshots=true} also updates docs/images. */
    private void screenshot(String name) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("berth.docs.screenshots")) {
            Path docs = Files.createDirectories(Path.of("..", "docs", "images")).resolve(name);
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited 60 s");
            }
            Thread.sleep(100);
        }
    }
}
