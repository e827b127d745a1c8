package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through Debian's chromedriver, both by explicit path (Selenium Manager never
 * downloads anything), with a fresh profile; axe-core from npm for the accessibility check of each page;
 * screenshots under target/screenshots.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String AXE_VERSION = "4.14.1";
    private static final Path AXE_DIR = Path.of("target", "axe");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final String axe;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile, String axe) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
        this.axe = axe;
    }

    static Browser start(String... moreArguments) throws Exception {
        String axe = Files.readString(axeScript());
        Path profile = Files.createTempDirectory("cardrenew-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(env("CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(env("CHROMIUM", "/usr/bin/chromium"));
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1280,1000",
                "--lang=en-US");
        options.addArguments(moreArguments);
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
        return new Browser(driver, service, profile, axe);
    }

    /** axe-core from npm, installed once into target/axe. */
    private static Path axeScript() throws IOException, InterruptedException {
        return Npm.install(AXE_DIR, "axe-core", AXE_VERSION).resolve("axe-core/axe.min.js");
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement visible(String id) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(30))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                screenshot("failed-waiting-for-" + id);
            } catch (IOException ignored) {
                // the timeout is what matters
            }
            throw new AssertionError(
                    "#" + id + " never became visible; the page says: "
                            + driver.findElement(By.tagName("main")).getText(),
                    e);
        }
    }

    boolean displayed(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** The keyboard's way to a control: Tab until it has the focus (fails if the focus order never reaches it). */
    void tabTo(String id) {
        for (int i = 0; i < 40; i++) {
            Object focused = driver.executeScript("return document.activeElement && document.activeElement.id;");
            if (id.equals(focused)) {
                return;
            }
            new org.openqa.selenium.interactions.Actions(driver)
                    .sendKeys(org.openqa.selenium.Keys.TAB)
                    .perform();
        }
        throw new AssertionError("Tab never reaches #" + id);
    }

    /** Types into whatever has the focus, as a keyboard does. */
    void type(CharSequence... keys) {
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
    }

    /** Zero serious or critical axe-core violations on the page as it is now. */
    void assertAccessible(String page) {
        JavascriptExecutor js = driver;
        js.executeScript(axe);
        Object violations = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))))"
                + ".catch(e => done('axe failed: ' + e));");
        assertThat(violations)
                .as("axe-core serious/critical violations on " + page)
                .isEqualTo("[]");
        // The strict CSP holds: the browser reported no blocked script, style or connection.
        assertThat(driver.manage()
                        .logs()
                        .get(org.openqa.selenium.logging.LogType.BROWSER)
                        .getAll())
                .as("browser console on " + page)
                .noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
    }

    void screenshot(String name) throws IOException {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    /** A screenshot at phone width (390 CSS pixels), then back to the desktop size. */
    void phoneScreenshot(String name) throws IOException {
        Dimension desktop = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            Long scroll = (Long) driver.executeScript("return document.documentElement.scrollWidth;");
            assertThat(scroll)
                    .as("no horizontal scrolling at phone width on " + name)
                    .isLessThanOrEqualTo(390L);
            screenshot(name);
        } finally {
            driver.manage().window().setSize(desktop);
        }
    }

    @Override
    public void close() {
        driver.quit();
        service.stop();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static {
        // Never let Selenium Manager look for (or download) a driver or a browser.
        System.setProperty("webdriver.chrome.driver", env("CHROMEDRIVER", "/usr/bin/chromedriver"));
    }
}
