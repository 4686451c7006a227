package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.HeadlessChromium;
import dev.berth.testing.TestBerth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The environment pages in a real browser, keyboard-reachable, with screenshots for the docs. */
@BerthIntegrationTest
class EnvironmentPagesBrowserTests {

    @Value("${berth.public-url}")
    String baseUrl;

    @Autowired
    JdbcClient jdbc;

    private ChromeDriver browser;

    @BeforeEach
    void signIn() throws IOException {
        jdbc.sql("""
                        INSERT INTO environment (key, name, description, kind, local_command, port, health_path,
                                                 cpu_millis, memory_mib, idle_timeout_seconds)
                        VALUES ('browser-missing', 'MATLAB (trial)', 'Not installed on purpose.', 'process',
                                '["matlab-proxy-app"]', 8888, '/', 2000, 4096, 1800)
                        ON CONFLICT (key) DO NOTHING
                        """).update();
        browser = HeadlessChromium.start(
                HeadlessChromium.ThirdPartyCookies.ALLOWED, Files.createDirectories(Path.of("target")));
        browser.get(baseUrl + "/admin/login");
        browser.findElement(By.id("username")).sendKeys(TestBerth.ADMIN_USER);
        browser.findElement(By.id("password")).sendKeys(TestBerth.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theCatalogueShowsEachEnvironmentsStatusAndTheFormExplainsWhatIsWrong() throws IOException {
        browser.get(baseUrl + "/admin");
        assertThat(browser.findElement(By.id("environments-warning")).getText())
                .contains("not installed on this server");
        screenshot("admin-dashboard-environments-warning.png");

        browser.get(baseUrl + "/admin/environments");
        assertThat(browser.getTitle()).startsWith("Environments");
        assertThat(browser.findElement(By.id("environment-terminal")).getText()).contains("Terminal", "Ready");
        assertThat(browser.findElement(By.id("environment-browser-missing")).getText())
                .contains("Not installed", "matlab-proxy-app not found on PATH");
        screenshot("admin-environments.png");

        browser.get(baseUrl + "/admin/environments/new");
        for (Map.Entry<String, String> field : Map.of("key", "Bad Key", "command", "jupyter lab", "port", "99999")
                .entrySet()) {
            browser.findElement(By.id(field.getKey())).clear();
            browser.findElement(By.id(field.getKey())).sendKeys(field.getValue());
        }
        browser.findElement(By.cssSelector("form.stacked button[type=submit]")).click();
        // The form posts and the answer is a new page: wait for it rather than reading the old one.
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".field-error")));
        List<String> errors = browser.findElements(By.cssSelector(".field-error")).stream()
                .map(element -> element.getText())
                .toList();
        assertThat(errors)
                .contains(
                        "Use 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit.",
                        "Give a port between 1 and 65535.");
        screenshot("admin-environment-form-errors.png");
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
}
