package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.lti.LtiProperties;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.HeadlessChromium;
import dev.berth.testing.HeadlessChromium.ThirdPartyCookies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Real launches, clicked in headless Chromium: the sandbox LMS (http://127.0.0.1:port) embeds Berth
 * (http://localhost:port), a different site, so the iframe is third-party exactly as in a real LMS.
 */
@BerthIntegrationTest
@Import(SandboxConfiguration.class)
@TestPropertySource(properties = "sandbox.port=0")
class SandboxLaunchBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    SandboxServer sandbox;

    @Autowired
    LtiProperties berth;

    @TempDir
    Path profiles;

    ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            canvas      | cs101   | lab1      | amara | Amara Okafor | Introduction to Programming | Lab 1: Hello, shell
            moodle      | math204 | roots     | lukas | Lukas Schmidt | Numerical Methods        | Assignment 1: Root finding
            brightspace | web110  | portfolio | mei   | Mei Chen      | Building for the Web      | Lab: Your portfolio page
            """)
    void studentLaunchInsideIframeWithThirdPartyCookiesBlockedLandsOnAssignmentPage(
            String lms, String course, String link, String person, String name, String courseTitle, String title) {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);

        openInPage(lms, course, link, person);

        String page = berthPageInFrame("/assignments/");
        assertThat(page)
                .contains("Signed in as " + name + ", a Learner in " + courseTitle + ".")
                .contains(title);
    }

    @Test
    void studentLaunchInsideIframeWithThirdPartyCookiesAllowedLandsOnAssignmentPage() throws IOException {
        browser = HeadlessChromium.start(ThirdPartyCookies.ALLOWED, profiles);

        openInPage("canvas", "cs101", "lab1", "amara");

        assertThat(berthPageInFrame("/assignments/"))
                .contains("Signed in as Amara Okafor, a Learner in Introduction to Programming.")
                .contains("Lab 1: Hello, shell");
        screenshot("sandbox-launch.png");
    }

    @Test
    void studentInsideIframeWithThirdPartyCookiesBlockedKeepsSessionAfterNavigatingInTheFrame() {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);
        openInPage("canvas", "cs101", "project", "lukas");
        berthPageInFrame("/assignments/");

        navigateFrame("location.reload()");

        assertThat(berthPageInFrame("/assignments/"))
                .as("the assignment page after reloading the frame")
                .contains("Signed in as Lukas Schmidt, a Learner in Introduction to Programming.")
                .contains("Project: Text adventure");

        navigateFrame("location.href = location.pathname");

        assertThat(berthPageInFrame("/assignments/"))
                .as("the assignment page reached without the session id in its URL")
                .contains("Signed in as Lukas Schmidt");
    }

    @Test
    void instructorLaunchInsideIframeLandsOnCoursePageListingMembers() {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);
        openInPage("canvas", "ds210", "notebook1", "mei");
        berthPageInFrame("/assignments/");

        openInPage("canvas", "ds210", "notebook1", "priya");

        String page = berthPageInFrame("/courses/");
        assertThat(page)
                .contains("Data Science with Python")
                .contains("You launched as Priya Raman, with the role Staff.")
                .contains("Mei Chen", "mei.chen@students.example.edu", "Lecture 01")
                .contains("Priya Raman", "priya.raman@example.edu");
    }

    @Test
    void teachingAssistantLaunchLandsOnCoursePageAsStaff() {
        browser = HeadlessChromium.start(ThirdPartyCookies.ALLOWED, profiles);

        openInPage("canvas", "cs101", "lab1", "jonas");

        assertThat(berthPageInFrame("/courses/")).contains("You launched as Jonas Berg, with the role Staff.");
    }

    @Test
    void canvasTestStudentLandsOnAssignmentPageAsLearner() {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);

        openInPage("canvas", "cs101", "lab1", "test-student");

        assertThat(berthPageInFrame("/assignments/"))
                .contains("Signed in as Test Student, a Learner in Introduction to Programming.");
    }

    @Test
    void learnerWithoutNameOrEmailLandsOnAssignmentPageAsAnonymousUser() {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);

        openInPage("moodle", "math204", "ode", "anonymous");

        assertThat(berthPageInFrame("/assignments/"))
                .contains("Signed in as Anonymous user, a Learner in Numerical Methods.")
                .contains("Assignment 2: Solving ODEs");
    }

    @Test
    void launchInNewWindowLandsOnAssignmentPage() throws IOException {
        browser = HeadlessChromium.start(ThirdPartyCookies.BLOCKED, profiles);
        browser.get(sandbox.baseUrl() + "/");
        screenshot("sandbox-home.png");
        String sandboxWindow = browser.getWindowHandle();

        browser.findElement(By.id("window-brightspace-web110-portfolio-amara")).click();

        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.numberOfWindowsToBe(2));
        Set<String> windows = browser.getWindowHandles();
        windows.remove(sandboxWindow);
        browser.switchTo().window(windows.iterator().next());
        assertThat(berthPage("/assignments/"))
                .contains("Signed in as Amara Okafor, a Learner in Building for the Web.")
                .contains("Lab: Your portfolio page");
    }

    /** Clicks the person's "Open" button on the sandbox home page: the LMS page with Berth in its iframe. */
    private void openInPage(String lms, String course, String link, String person) {
        browser.switchTo().defaultContent();
        browser.get(sandbox.baseUrl() + "/");
        browser.findElement(By.id("launch-" + lms + "-" + course + "-" + link + "-" + person))
                .click();
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tool-frame")));
    }

    private String berthPageInFrame(String pathPart) {
        return berthPage(pathPart);
    }

    /** Waits until the current frame or window shows a Berth page whose path contains pathPart; its text. */
    private String berthPage(String pathPart) {
        String berthPages = berth.url("/courses/");
        try {
            new WebDriverWait(browser, PATIENCE)
                    .ignoring(WebDriverException.class)
                    .until(driver -> {
                        String href = String.valueOf(frameScript(
                                "return document.readyState === 'complete'" + " ? document.location.href : ''"));
                        return href.startsWith(berthPages) && href.contains(pathPart);
                    });
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "No Berth page containing " + pathPart + " after " + PATIENCE + "; the frame shows "
                            + frameScript("return document.location.href") + ":\n"
                            + frameScript("return document.body ? document.body.innerText : ''"),
                    e);
        }
        return browser.findElement(By.tagName("body")).getText();
    }

    /** Runs a script that navigates the current frame, and waits until the next document has replaced this one. */
    private void navigateFrame(String script) {
        frameScript("window.berthTestPreviousDocument = true; " + script);
        new WebDriverWait(browser, PATIENCE)
                .ignoring(WebDriverException.class)
                .until(
                        driver -> Boolean.TRUE.equals(
                                frameScript(
                                        "return window.berthTestPreviousDocument === undefined && document.readyState === 'complete'")));
    }

    private Object frameScript(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
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
    }
}
