package dev.berth.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.HeadlessChromium;
import dev.berth.testing.HeadlessChromium.ThirdPartyCookies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The terminal page in headless Chromium, against the real server process. */
class TerminalServerBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path directory;

    private RunningTerminal terminal;
    private ChromeDriver browser;

    @BeforeEach
    void start() {
        terminal = RunningTerminal.start(directory);
        browser = HeadlessChromium.start(ThirdPartyCookies.ALLOWED, directory);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        terminal.close();
    }

    @Test
    void commandTypedInThePageRunsAndItsOutputIsRendered() throws Exception {
        browser.get(terminal.url(terminal.basePath));
        awaitPrompt();

        typeIntoTerminal("echo hello > note.txt && cat note.txt\n");

        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "no row reading exactly 'hello'; rows:\n" + rows())
                .until(driver -> Arrays.stream(rows().split("\n"))
                        .anyMatch(row -> row.strip().equals("hello")));
        assertThat(terminal.home.resolve("note.txt")).hasContent("hello");
        screenshot("terminal-desktop.png");
    }

    @Test
    void droppedConnectionShowsReconnectAndReconnectingGivesANewShell() throws Exception {
        browser.get(terminal.url(terminal.basePath));
        awaitPrompt();

        typeIntoTerminal("exit\n");
        WebElement status = browser.findElement(By.id("status"));
        new WebDriverWait(browser, WAIT).until(driver -> status.isDisplayed());
        assertThat(status.getText()).contains("reconnect");
        assertThat(browser.switchTo().activeElement().getAttribute("id"))
                .as("keyboard focus on the reconnect button")
                .isEqualTo("reconnect");
        screenshot("terminal-disconnected.png");

        browser.switchTo().activeElement().sendKeys("\n");
        new WebDriverWait(browser, WAIT).until(driver -> !status.isDisplayed());
        typeIntoTerminal("echo again-$((6*7))\n");
        new WebDriverWait(browser, WAIT).withMessage(() -> "rows:\n" + rows()).until(driver -> rows().contains(
                        "again-42"));
    }

    @Test
    void pageFitsAPhoneWidthScreen() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(terminal.url(terminal.basePath));
        awaitPrompt();

        typeIntoTerminal("echo \"cols=[$(tput cols)]\"\n");

        new WebDriverWait(browser, WAIT).withMessage(() -> "rows:\n" + rows()).until(driver -> rows().matches(
                        "(?s).*cols=\\[\\d+\\].*"));
        String columns = rows().replaceAll("(?s).*cols=\\[(\\d+)\\].*", "$1");
        assertThat(Integer.parseInt(columns))
                .as("terminal columns at phone width")
                .isBetween(30, 60);
        Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
        assertThat(scrollWidth.intValue()).as("no horizontal scrolling").isLessThanOrEqualTo(innerWidth.intValue());
        screenshot("terminal-phone.png");
    }

    private void awaitPrompt() {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "no shell prompt; rows:\n" + rows() + "\nserver log:\n" + terminal.log())
                .until(driver -> rows().contains("$") || rows().contains("#"));
    }

    /** Keys go where xterm.js listens: its hidden textarea, which has focus once the page has loaded. */
    private void typeIntoTerminal(String text) {
        WebElement input = browser.findElement(By.cssSelector(".xterm-helper-textarea"));
        assertThat(browser.switchTo().activeElement())
                .as("terminal has keyboard focus")
                .isEqualTo(input);
        input.sendKeys(text);
    }

    private String rows() {
        return browser.findElements(By.cssSelector(".xterm-rows")).stream()
                .map(WebElement::getText)
                .findFirst()
                .orElse("");
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        Files.write(target.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
