package dev.berth.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts Debian's headless Chromium through its chromedriver, in a fresh profile. Both are named explicitly, so
 * Selenium Manager never looks for (or downloads) a browser or driver. Override the paths with
 * {@code -Dberth.chromium} and {@code -Dberth.chromedriver}.
 */
public final class HeadlessChromium {

    private static final String INSTALL =
            "Browser tests need Chromium and its driver: apt-get install chromium chromium-driver";

    private HeadlessChromium() {}

    /** Whether the browser blocks third-party cookies ({@code profile.cookie_controls_mode} 1) or allows them (0). */
    public enum ThirdPartyCookies {
        ALLOWED(0),
        BLOCKED(1);

        private final int mode;

        ThirdPartyCookies(int mode) {
            this.mode = mode;
        }
    }

    public static ChromeDriver start(ThirdPartyCookies cookies, Path profileParent) {
        Path chromium = Path.of(System.getProperty("berth.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("berth.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium)) {
            fail("No Chromium at " + chromium + ". " + INSTALL);
        }
        if (!Files.isExecutable(chromedriver)) {
            fail("No chromedriver at " + chromedriver + ". " + INSTALL);
        }
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory(profileParent, "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1100",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of("profile.cookie_controls_mode", cookies.mode));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
