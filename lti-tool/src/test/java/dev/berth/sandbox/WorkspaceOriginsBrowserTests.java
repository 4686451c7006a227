package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.lti.LtiProperties;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.HeadlessChromium;
import dev.berth.testing.HeadlessChromium.ThirdPartyCookies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The point of per-workspace origins, in a real browser: a page a student serves from their workspace, opened by
 * the course's instructor through Berth inside the LMS's iframe, runs with the instructor's browser yet cannot
 * read Berth's pages nor another student's workspace, and the student's process never sees a Berth credential.
 */
@BerthIntegrationTest
@Import(SandboxConfiguration.class)
@TestPropertySource(properties = "sandbox.port=0")
class WorkspaceOriginsBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The student's page: tries, with the viewer's credentials, to read what it must not, and reports. */
    private static final String EVIL_PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>running</title></head>
            <body><h1>A page from Amara's workspace</h1><pre id="result">running</pre><script>
            const berth = "BERTH", other = "OTHER";
            async function read(name, url) {
              try {
                const answer = await fetch(url, {credentials: "include"});
                return name + ": READ " + answer.status + " " + (await answer.text()).length;
              } catch (e) { return name + ": blocked"; }
            }
            async function frame(name, url) {
              const f = document.createElement("iframe");
              f.src = url;
              document.body.appendChild(f);
              await Promise.race([new Promise(r => f.onload = r), new Promise(r => setTimeout(r, 3000))]);
              try { return name + ": READ " + f.contentDocument.body.innerText.length; }
              catch (e) { return name + ": blocked"; }
            }
            (async () => {
              const lines = [
                await read("berth course page", berth + "/courses/COURSE"),
                await read("berth workspace status", berth + "/workspaces/OTHERID/status"),
                await read("other workspace", other + "/ws/OTHERID/"),
                await frame("berth course page in a frame", berth + "/courses/COURSE"),
                "cookies visible to the page: [" + document.cookie + "]"];
              document.getElementById("result").textContent = lines.join("\\n");
              document.title = "done";
            })();
            </script></body></html>
            """;

    @Autowired
    SandboxServer sandbox;

    @Autowired
    LtiProperties berth;

    @Autowired
    Workspaces workspaces;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.data-dir}")
    String dataDir;

    @TempDir
    Path profiles;

    ChromeDriver browser;

    private final List<UUID> started = new ArrayList<>();

    @AfterEach
    void closeBrowserAndStopWorkspaces() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        for (UUID id : started) {
            workspaces.stop(id);
        }
        for (UUID id : started) {
            awaitState(id, WorkspaceState.STOPPED);
        }
    }

    @ParameterizedTest(name = "third-party cookies {0}")
    @EnumSource(ThirdPartyCookies.class)
    void pageServedFromAStudentsWorkspaceCannotReadBerthOrAnotherWorkspaceWithTheInstructorsBrowser(
            ThirdPartyCookies cookies) throws Exception {
        browser = HeadlessChromium.start(cookies, profiles);
        openInPage("amara");
        awaitFrame(berth.url("/courses/"), "Lab 1");
        openInPage("lukas");
        awaitFrame(berth.url("/courses/"), "Lab 1");
        long course = jdbc.sql("SELECT max(id) FROM course WHERE title = 'Introduction to Programming'")
                .query(Long.class)
                .single();
        addHttpServerEnvironment();
        UUID amaras = startWorkspace("Amara Okafor", course);
        UUID lukass = startWorkspace("Lukas Schmidt", course);
        String otherOrigin =
                "http://ws-" + lukass + ".localhost:" + berth.publicUrl().getPort();
        Files.writeString(
                Path.of(dataDir, "workspaces", amaras.toString(), "home", "index.html"),
                EVIL_PAGE
                        .replace("BERTH", berth.url(""))
                        .replace("OTHERID", lukass.toString())
                        .replace("OTHER", otherOrigin)
                        .replace("COURSE", Long.toString(course)));

        openInPage("priya");
        String coursePage = awaitFrame(berth.url("/courses/"), "Amara Okafor");
        String session = String.valueOf(frameScript("return new URLSearchParams(location.search).get('bsid') || ''"));
        String withSession = session.isEmpty() ? "" : "?bsid=" + java.net.URLEncoder.encode(session, "UTF-8");
        assertThat(coursePage).contains("Lukas Schmidt");

        frameScript("location.href = '" + berth.url("/workspaces/" + lukass + "/open") + withSession + "'");
        assertThat(awaitFrame(otherOrigin + "/ws/" + lukass + "/", "Directory listing"))
                .as("the instructor is in Lukas's workspace, on its own origin");

        frameScript("location.href = '" + berth.url("/workspaces/" + amaras + "/open") + withSession + "'");
        awaitFrame("http://ws-" + amaras + ".localhost:", "A page from Amara's workspace");
        new WebDriverWait(browser, PATIENCE).until(driver -> "done".equals(frameScript("return document.title")));
        String result = browser.findElement(By.id("result")).getText();

        assertThat(result)
                .as("what the student's page could do with the instructor's browser")
                .contains(
                        "berth course page: blocked",
                        "berth workspace status: blocked",
                        "other workspace: blocked",
                        "berth course page in a frame: blocked",
                        "cookies visible to the page: []")
                .doesNotContain("READ");
        String log = workspaces.logs(amaras, 1 << 20);
        assertThat(log).as("the student's process served the page").contains("REQUEST GET / ");
        assertThat(log)
                .as("no Berth credential reached the student's process")
                .doesNotContain("BERTH_SESSION", "__Host-berth-ws", "token=", "bsid");
        if (!session.isEmpty()) {
            assertThat(log).doesNotContain(session);
        }
        screenshot("workspace-origin-" + cookies.name().toLowerCase(java.util.Locale.ROOT) + ".png");

        // Top level, the cookie set inside the LMS's frame (partitioned under the LMS's site) does not come along.
        browser.get(otherOrigin + "/.berth/check");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Your browser blocked this workspace in the frame", "Open in a new tab");
        assertThat(browser.findElement(By.linkText("Open in a new tab")).getAttribute("target"))
                .isEqualTo("_blank");
        saveScreenshot("gateway-blocked.png");
        browser.get(otherOrigin + "/ws/" + lukass + "/");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Open this workspace from Berth");
        saveScreenshot("gateway-no-session.png");
    }

    private void addHttpServerEnvironment() {
        String server = String.join(
                "\\n",
                "import http.server, sys",
                "class Logged(http.server.SimpleHTTPRequestHandler):",
                "    def log_message(self, format, *args):",
                "        sys.stderr.write('REQUEST ' + self.requestline + ' HEADERS ' + repr(dict(self.headers)) + '\\\\n')",
                "        sys.stderr.flush()",
                "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Logged).serve_forever()");
        jdbc.sql("""
                        INSERT INTO environment (key, name, kind, local_command, port, base_path_mode, health_path)
                        VALUES ('http-server', 'Python http.server', 'process', CAST(:command AS jsonb), 8000, 'strip', '/')
                        ON CONFLICT (key) DO NOTHING
                        """)
                .param("command", "[\"python3\", \"-c\", \"" + server + "\", \"{port}\"]")
                .update();
    }

    private UUID startWorkspace(String name, long course) throws InterruptedException {
        long person = jdbc.sql("SELECT max(id) FROM person WHERE name = :name")
                .param("name", name)
                .query(Long.class)
                .single();
        Workspace workspace = workspaces.ensureRunning("person:" + person, "course:" + course, "http-server");
        started.add(workspace.id());
        awaitState(workspace.id(), WorkspaceState.RUNNING);
        return workspace.id();
    }

    private void awaitState(UUID id, WorkspaceState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Workspace workspace = workspaces.find(id).orElseThrow();
            if (workspace.state() == state) {
                return;
            }
            assertThat(workspace.state())
                    .as("the http.server workspace (needs python3): " + workspace.failure())
                    .isNotEqualTo(WorkspaceState.FAILED);
            Thread.sleep(100);
        }
        throw new AssertionError("Workspace " + id + " did not reach " + state);
    }

    private void openInPage(String person) {
        browser.switchTo().defaultContent();
        browser.get(sandbox.baseUrl() + "/");
        browser.findElement(By.id("launch-canvas-cs101-lab1-" + person)).click();
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tool-frame")));
    }

    /** Waits until the frame shows a document whose URL starts with urlStart and whose text contains text. */
    private String awaitFrame(String urlStart, String text) {
        try {
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .until(driver -> {
                        String href = String.valueOf(
                                frameScript("return document.readyState === 'complete' ? document.location.href : ''"));
                        return href.startsWith(urlStart)
                                && String.valueOf(frameScript("return document.body.innerText"))
                                        .contains(text);
                    });
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "The frame did not show " + urlStart + " with '" + text + "'; it shows "
                            + frameScript("return document.location.href") + ":\n"
                            + frameScript("return document.body ? document.body.innerText : ''"),
                    e);
        }
        return String.valueOf(frameScript("return document.body.innerText"));
    }

    private Object frameScript(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws IOException {
        browser.switchTo().defaultContent();
        saveScreenshot(name);
    }

    private void saveScreenshot(String name) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
