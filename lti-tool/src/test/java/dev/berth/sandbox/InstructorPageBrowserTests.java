package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.lti.LtiProperties;
import dev.berth.provisioning.HomeSizes;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The instructor's page in a real browser: two students launch from the sandbox LMS (which starts their workspaces),
 * the instructor stops all workspaces of the course from the course page, starts them all again and follows the
 * progress, and previews both students' terminals, each on its own workspace host.
 * {@code -Dberth.docs.screenshots=true} also updates the screenshots of docs/instructor-guide.md.
 */
@BerthIntegrationTest
@Import(SandboxConfiguration.class)
@TestPropertySource(properties = "sandbox.port=0")
class InstructorPageBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Autowired
    SandboxServer sandbox;

    @Autowired
    LtiProperties berth;

    @Autowired
    Workspaces workspaces;

    @Autowired
    HomeSizes homeSizes;

    @Autowired
    JdbcClient jdbc;

    @Value("${berth.data-dir}")
    Path dataDir;

    @TempDir
    Path profiles;

    ChromeDriver browser;

    @AfterEach
    void closeBrowserAndStopWorkspaces() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        List<UUID> running = jdbc.sql("SELECT id FROM workspace WHERE desired_state = 'RUNNING'")
                .query(UUID.class)
                .list();
        running.forEach(workspaces::stop);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (running.stream()
                        .anyMatch(
                                id -> workspaces.find(id).orElseThrow().state().isActive())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    @Test
    void instructorStopsAllThenStartsAllWorkspacesFollowsTheProgressAndPreviewsBothStudentsTerminals()
            throws IOException {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);
        launchInFrame("amara");
        launchInFrame("lukas");

        browser.switchTo().defaultContent();
        browser.get(sandbox.baseUrl() + "/");
        String sandboxWindow = browser.getWindowHandle();
        browser.findElement(By.id("window-canvas-cs101-lab1-priya")).click();
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.numberOfWindowsToBe(2));
        switchToOtherWindow(Set.of(sandboxWindow));
        String coursePage = browser.getWindowHandle();
        browser.manage().window().setSize(new Dimension(1280, 1000));
        awaitText(By.id("workspaces"), "Amara Okafor");
        for (String student : List.of("Amara Okafor", "Lukas Schmidt")) {
            assertThat(row(student).getAttribute("data-state"))
                    .as("the launch of " + student + " started a workspace")
                    .isIn("PROVISIONING", "STARTING", "RUNNING");
        }

        browser.findElement(By.xpath("//button[normalize-space()='Stop all']")).click();
        awaitText(By.id("workspace-progress"), "Stopping all workspaces");
        awaitProgressDone();
        assertThat(browser.findElement(By.id("workspace-progress")).getText())
                .containsPattern("(\\d+) of \\1 stopped, 0 stopping, 0 failed");
        browser.findElement(By.linkText("Refresh the table")).click();
        new WebDriverWait(browser, PATIENCE).ignoring(WebDriverException.class).until(driver -> driver.findElements(
                        By.id("workspace-progress"))
                .isEmpty());
        assertThat(row("Amara Okafor").getText()).contains("Stopped").doesNotContain("Open");
        assertThat(row("Lukas Schmidt").getText()).contains("Stopped").doesNotContain("Open");

        browser.findElement(By.xpath("//button[normalize-space()='Start all']")).click();
        awaitText(By.id("workspace-progress"), "Starting all workspaces");
        assertThat(browser.findElement(By.id("workspace-progress")).getText()).containsPattern("\\d+ of \\d+ running");
        screenshot("instructor-bulk-progress.png");
        awaitProgressDone();
        assertThat(browser.findElement(By.id("workspace-progress")).getText())
                .containsPattern("(\\d+) of \\1 running, 0 starting, 0 queued, 0 failed");

        browser.findElement(By.linkText("Refresh the table")).click();
        new WebDriverWait(browser, PATIENCE).ignoring(WebDriverException.class).until(driver -> driver.findElements(
                        By.id("workspace-progress"))
                .isEmpty());
        UUID amara = workspaceOf("Amara Okafor");
        UUID lukas = workspaceOf("Lukas Schmidt");
        writeHome(amara, "data.csv", 1_234_567);
        writeHome(lukas, "adventure.py", 48_200);
        // The engine may have measured the fresh homes already (it measures on its own schedule): make them due.
        jdbc.sql("UPDATE workspace SET home_measured_at = NULL WHERE id IN (:ids)")
                .param("ids", List.of(amara, lukas))
                .update();
        homeSizes.measureDue();
        browser.navigate().refresh();
        awaitText(By.id("workspaces"), "1.2 MB");
        assertThat(row("Amara Okafor").getText()).contains("Running", "terminal", "just now", "1.2 MB");
        assertThat(row("Lukas Schmidt").getText()).contains("Running", "48.2 kB");
        browser.executeScript("window.scrollTo(0, 0)");
        screenshot("instructor-course-page.png");

        for (var student : List.of(Map.entry("Amara Okafor", amara), Map.entry("Lukas Schmidt", lukas))) {
            browser.switchTo().window(coursePage);
            Set<String> before = browser.getWindowHandles();
            row(student.getKey()).findElement(By.linkText("Open")).click();
            new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.numberOfWindowsToBe(before.size() + 1));
            switchToOtherWindow(before);
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .until(driver -> driver.getTitle().equals("Terminal")
                            && !driver.findElements(By.cssSelector(".xterm")).isEmpty());
            assertThat(browser.getCurrentUrl())
                    .as(student.getKey() + "'s preview, on the workspace's own host")
                    .contains("://ws-" + student.getValue() + ".localhost:", "/ws/" + student.getValue() + "/");
            browser.close();
        }

        browser.switchTo().window(coursePage);
        row("Amara Okafor").findElement(By.linkText("Logs")).click();
        awaitText(By.tagName("h1"), "Workspace of Amara Okafor");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Output (last 64 KiB)", "Timeline", "Workspace created", "Ready");
        screenshot("instructor-logs.png");
    }

    private void launchInFrame(String person) {
        browser.switchTo().defaultContent();
        browser.get(sandbox.baseUrl() + "/");
        browser.findElement(By.id("launch-canvas-cs101-lab1-" + person)).click();
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tool-frame")));
        new WebDriverWait(browser, PATIENCE).ignoring(WebDriverException.class).until(driver -> String.valueOf(
                        browser.executeScript("return document.location.href"))
                .contains("/assignments/"));
    }

    private void awaitProgressDone() {
        new WebDriverWait(browser, PATIENCE).ignoring(WebDriverException.class).until(driver -> driver.findElement(
                        By.cssSelector("#workspace-progress .progress-done"))
                .isDisplayed());
    }

    private void switchToOtherWindow(Set<String> known) {
        for (String handle : browser.getWindowHandles()) {
            if (!known.contains(handle)) {
                browser.switchTo().window(handle);
                return;
            }
        }
        throw new AssertionError("No new window");
    }

    private void awaitText(By locator, String text) {
        new WebDriverWait(browser, PATIENCE)
                .ignoring(WebDriverException.class)
                .until(driver -> driver.findElement(locator).getText().contains(text));
    }

    private WebElement row(String name) {
        return browser.findElement(
                By.xpath("//table[contains(@class,'workspaces')]//tr[.//span[@class='person' and normalize-space()='"
                        + name + "']]"));
    }

    /**
     * The workspace the course page shows in this person's row (its Open link): the sandbox's people launch in
     * other courses and LMSs too, in other test classes sharing this database, so a name alone is ambiguous.
     */
    private UUID workspaceOf(String name) {
        String href = row(name).findElement(By.linkText("Open")).getAttribute("href");
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("/workspaces/([0-9a-f-]{36})/open")
                .matcher(String.valueOf(href));
        assertThat(id.find()).as("the row's Open link: " + href).isTrue();
        UUID workspace = UUID.fromString(id.group(1));
        assertThat(workspaces.find(workspace).orElseThrow().state()).isEqualTo(WorkspaceState.RUNNING);
        return workspace;
    }

    private void writeHome(UUID workspace, String name, int bytes) throws IOException {
        Path home = dataDir.resolve("workspaces").resolve(workspace.toString()).resolve("home");
        Files.write(home.resolve(name), new byte[bytes]);
    }

    /** Saves the current window; {@code -Dberth.docs.screenshots=true} also updates docs/images. */
    private void screenshot(String name) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("berth.docs.screenshots")) {
            Path docs = Files.createDirectories(Path.of("..", "docs", "images")).resolve(name);
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
