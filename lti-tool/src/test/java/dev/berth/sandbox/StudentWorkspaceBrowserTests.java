package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The student page end to end in headless Chromium, inside the sandbox LMS's iframe: the launch starts the
 * workspace, the steps show as they happen, then the IDE fills the frame; a stopped workspace comes back with its
 * files on the next launch; a workspace that cannot start shows what happened, what to do and a reference.
 */
@BerthIntegrationTest
@Import(SandboxConfiguration.class)
@TestPropertySource(properties = "sandbox.port=0")
class StudentWorkspaceBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern OPEN = Pattern.compile("/workspaces/([0-9a-f-]{36})/open");

    @Autowired
    SandboxServer sandbox;

    @Autowired
    LtiProperties berth;

    @Autowired
    Workspaces workspaces;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path profiles;

    ChromeDriver browser;
    private final Set<UUID> started = new LinkedHashSet<>();

    @AfterEach
    void closeBrowserAndStopWorkspaces() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        for (UUID id : started) {
            workspaces.stop(id);
        }
        for (UUID id : started) {
            awaitState(id, WorkspaceState.STOPPED, WorkspaceState.FAILED);
        }
    }

    @Test
    void studentSeesTheStepsThenWorksInTheTerminalAndFindsTheirFileAfterAStopAndARelaunch() throws Exception {
        // Third-party cookies blocked: the session travels in URLs, the event stream's included.
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);

        openInPage("canvas", "cs101", "lab1", "mei");
        awaitIde();
        UUID id = workspaceInFrame();
        started.add(id);
        inTerminal(() -> {
            awaitPrompt();
            type("echo hello > note.txt && cat note.txt\n");
            awaitRow("hello");
        });
        screenshot("student-ide.png");

        workspaces.stop(id);
        awaitState(id, WorkspaceState.STOPPED);
        openInPage("canvas", "cs101", "lab1", "mei");
        List<String> steps = awaitIde();
        assertThat(String.join("\n", steps))
                .as("the relaunch showed the steps of the start")
                .contains("Starting the environment");
        assertThat(workspaceInFrame()).as("the same workspace").isEqualTo(id);
        inTerminal(() -> {
            awaitPrompt();
            type("cat note.txt\n");
            awaitRow("hello");
        });
    }

    @Test
    void aJupyterAssignmentShowsItsStepsThenANotebookRunsACellOverTheKernelWebSocket() throws Exception {
        // Blocked: the workspace's own cookies (Jupyter's _xsrf) must work in the LMS frame too.
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);

        openInPage("canvas", "cs101", "notebook", "amara");
        new WebDriverWait(browser, PATIENCE)
                .ignoring(WebDriverException.class)
                .withMessage(() -> "no steps; the frame shows: " + frameText())
                .until(driver -> stepsInFrame().size() >= 2 || ideShown());
        if (!ideShown()) {
            screenshot("student-progress.png");
        }
        awaitIde();
        UUID id = workspaceInFrame();
        started.add(id);
        assertThat(workspaces.find(id).orElseThrow().environmentKey()).isEqualTo("jupyter");

        assertThat(browser.findElement(By.cssSelector(".ide-toolbar")).getText())
                .contains("Notebook: Python warm-up", "Jupyter Notebook · running", "Open in a new tab", "Restart");

        String home = jdbc.sql("SELECT backend_refs->>'home' FROM workspace WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
        Files.writeString(Path.of(home, "warmup.ipynb"), """
                {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                            "source": []}],
                 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                 "nbformat": 4, "nbformat_minor": 5}""");
        browser.switchTo().frame(browser.findElement(By.cssSelector("iframe.ide-frame")));
        try {
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .withMessage(() -> "no notebook list; the IDE frame shows: " + frameText())
                    .until(driver -> frameText().contains("warmup.ipynb")
                            || Boolean.TRUE.equals(script("return location.pathname.endsWith('/tree')")));
            script("location.assign(location.pathname.replace(/tree.*$/, 'notebooks/warmup.ipynb'))");
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .withMessage(() -> "the kernel never connected; the IDE frame shows: " + frameText())
                    .until(driver -> Boolean.TRUE.equals(script("return !!(window.Jupyter && Jupyter.notebook"
                            + " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())")));
            browser.findElement(By.cssSelector(".cell .CodeMirror")).click();
            browser.findElement(By.cssSelector(".cell .CodeMirror textarea")).sendKeys("print(6*7)");
            browser.findElement(By.cssSelector(".cell .CodeMirror textarea"))
                    .sendKeys(org.openqa.selenium.Keys.chord(
                            org.openqa.selenium.Keys.SHIFT, org.openqa.selenium.Keys.ENTER));
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .withMessage(() -> "no output; the IDE frame shows: " + frameText())
                    .until(driver -> browser.findElements(By.cssSelector(".output_area pre")).stream()
                            .anyMatch(output -> output.getText().strip().equals("42")));
        } finally {
            browser.switchTo().parentFrame();
        }
        screenshot("student-jupyter.png");
    }

    @Test
    void aWorkspaceThatCannotStartShowsWhatHappenedWhatToDoAndAReference() throws Exception {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);
        String link = "7"; // Moodle's "Assignment 1: Root finding"
        openInPage("moodle", "math204", "roots", "mei");
        jdbc.sql("""
                        UPDATE assignment SET environment_id = (SELECT id FROM environment WHERE key = 'rstudio'),
                               environment_source = 'staff'
                        WHERE resource_link_id = ?""").param(link).update();
        try {
            for (UUID id : workspaceIdsOf("mei")) {
                started.add(id);
            }
            openInPage("moodle", "math204", "roots", "mei");
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .withMessage(() -> "no error panel; the frame shows: " + frameText())
                    .until(driver -> !browser.findElements(By.cssSelector(".failure-panel"))
                            .isEmpty());
            String panel = browser.findElement(By.cssSelector(".failure-panel")).getText();
            assertThat(panel)
                    .contains("Your workspace could not start", "is not installed on this machine", "Try again")
                    .containsPattern("quote reference W-[0-9a-f]{8}-\\d+");
            started.addAll(workspaceIdsOf("mei"));
            screenshot("student-error.png");
        } finally {
            jdbc.sql("UPDATE assignment SET environment_id = NULL, environment_source = NULL"
                            + " WHERE resource_link_id = ?")
                    .param(link)
                    .update();
        }
    }

    @Test
    void staffChooseTheAssignmentsEnvironmentOnItsPageAndAStaffLaunchStartsNothing() throws Exception {
        browser = HeadlessChromium.start(ThirdPartyCookies.ALLOWED, profiles);
        String link = SandboxCatalogue.sha1("canvas-link:ds210-shell");
        openInPage("canvas", "ds210", "shell", "priya");
        new WebDriverWait(browser, PATIENCE).ignoring(WebDriverException.class).until(driver -> String.valueOf(
                        script("return location.pathname"))
                .startsWith("/courses/"));
        long assignment = jdbc.sql("SELECT id FROM assignment WHERE resource_link_id = ?")
                .param(link)
                .query(Long.class)
                .single();
        long course = jdbc.sql("SELECT course_id FROM assignment WHERE id = ?")
                .param(assignment)
                .query(Long.class)
                .single();
        assertThat(workspaceIdsOf("priya"))
                .as("a staff launch starts no workspace")
                .isEmpty();
        try {
            script("location.href = '/courses/" + course + "/assignments/" + assignment + "' + location.search");
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .until(driver -> !browser.findElements(By.id("environment")).isEmpty());
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("environment")))
                    .selectByValue("jupyter");
            browser.findElement(By.cssSelector(".assignment-settings button[type=submit]"))
                    .click();
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .withMessage(() -> "not saved; the frame shows: " + frameText())
                    .until(driver -> frameText().contains("Saved: this assignment now opens Jupyter Notebook."));
            screenshot("assignment-environment.png");
        } finally {
            jdbc.sql("UPDATE assignment SET environment_id = NULL, environment_source = NULL WHERE id = ?")
                    .param(assignment)
                    .update();
        }
    }

    private List<UUID> workspaceIdsOf(String sandboxPerson) {
        return jdbc.sql("SELECT w.id FROM workspace w JOIN person p ON w.owner_ref = 'person:' || p.id"
                        + " WHERE p.given_name = ?")
                .param(Character.toUpperCase(sandboxPerson.charAt(0)) + sandboxPerson.substring(1))
                .query(UUID.class)
                .list();
    }

    /** Clicks the person's "Open" button on the sandbox home page and enters Berth's iframe. */
    private void openInPage(String lms, String course, String link, String person) {
        browser.switchTo().defaultContent();
        browser.get(sandbox.baseUrl() + "/");
        browser.findElement(By.id("launch-" + lms + "-" + course + "-" + link + "-" + person))
                .click();
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tool-frame")));
    }

    /** Waits for the IDE page, noting every step the progress view showed on the way. */
    private List<String> awaitIde() {
        List<String> seen = new ArrayList<>();
        new WebDriverWait(browser, PATIENCE)
                .pollingEvery(Duration.ofMillis(40))
                .ignoring(WebDriverException.class)
                .withMessage(() -> "no IDE; steps seen " + seen + "; the frame shows: " + frameText())
                .until(driver -> {
                    for (String step : stepsInFrame()) {
                        if (!seen.contains(step)) {
                            seen.add(step);
                        }
                    }
                    return ideShown();
                });
        return seen;
    }

    @SuppressWarnings("unchecked")
    private List<String> stepsInFrame() {
        Object steps = script("return Array.from(document.querySelectorAll('ol.steps li')).map(li => li.textContent)");
        return steps instanceof List<?> list ? (List<String>) list : List.of();
    }

    private boolean ideShown() {
        return Boolean.TRUE.equals(script("return document.readyState === 'complete'"
                + " && document.querySelector('iframe.ide-frame') !== null"));
    }

    private UUID workspaceInFrame() {
        String src = browser.findElement(By.cssSelector("iframe.ide-frame")).getAttribute("src");
        Matcher matcher = OPEN.matcher(String.valueOf(src));
        assertThat(matcher.find())
                .as("the IDE is entered through /workspaces/{id}/open: " + src)
                .isTrue();
        return UUID.fromString(matcher.group(1));
    }

    private void inTerminal(Runnable work) {
        browser.switchTo().frame(browser.findElement(By.cssSelector("iframe.ide-frame")));
        try {
            work.run();
        } finally {
            browser.switchTo().parentFrame();
        }
    }

    private void awaitPrompt() {
        new WebDriverWait(browser, PATIENCE)
                .ignoring(WebDriverException.class)
                .withMessage(() -> "no shell prompt; rows:\n" + rows())
                .until(driver -> rows().contains("$") || rows().contains("#"));
    }

    private void type(String text) {
        WebElement input = browser.findElement(By.cssSelector(".xterm-helper-textarea"));
        input.sendKeys(text);
    }

    private void awaitRow(String expected) {
        new WebDriverWait(browser, PATIENCE)
                .withMessage(() -> "no row reading exactly '" + expected + "'; rows:\n" + rows())
                .until(driver -> rows().lines().anyMatch(row -> row.strip().equals(expected)));
    }

    private String rows() {
        return browser.findElements(By.cssSelector(".xterm-rows")).stream()
                .map(WebElement::getText)
                .findFirst()
                .orElse("");
    }

    private String frameText() {
        return String.valueOf(script("return location.href + '\\n' + (document.body ? document.body.innerText : '')"));
    }

    private Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void awaitState(UUID id, WorkspaceState... states) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Workspace last = null;
        while (System.nanoTime() < deadline) {
            last = workspaces.find(id).orElseThrow();
            if (List.of(states).contains(last.state()) && last.settled()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("Workspace " + id + " did not reach " + List.of(states) + " within " + PATIENCE + ": " + last);
    }

    /** Saves the whole sandbox page; {@code -Dberth.docs.screenshots=true} also updates docs/images. */
    private void screenshot(String name) throws IOException {
        browser.switchTo().defaultContent();
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("berth.docs.screenshots")) {
            Path docs = Files.createDirectories(Path.of("..", "docs", "images")).resolve(name);
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
        browser.switchTo().frame(browser.findElement(By.id("tool-frame")));
    }
}
