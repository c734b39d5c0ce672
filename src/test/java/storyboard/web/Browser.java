package storyboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import storyboard.support.TestServer;

/**
 * Browser tests' Chromium: Debian's {@code /usr/bin/chromium} (never a downloaded browser), headless, driven by
 * Playwright, one per test JVM. A {@link Session} is one signed-in person in a fresh browser profile; it records every
 * console error, page error and refused request (a Content Security Policy violation is a console error), which
 * {@link Session#close} fails the test on, and saves screenshots under {@code target/screenshots/}.
 */
public final class Browser {
    /** The browser: CHROMIUM names another binary; without one the tests fail (they never skip). */
    static final Path EXECUTABLE = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static com.microsoft.playwright.Browser browser;

    private Browser() {}

    private static synchronized com.microsoft.playwright.Browser browser() {
        if (browser == null) {
            assertThat(EXECUTABLE).as("Debian's chromium (apt-get install chromium); .ci/run installs it").isExecutable();
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE)
                    .setHeadless(true)
                    // This machine's network is closed: no background connections, no first-run work, no sandbox (root).
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-dev-shm-usage")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                browser.close();
                playwright.close();
            }));
        }
        return browser;
    }

    /** A fresh browser profile on {@code server}, 1280 px wide, not signed in. */
    public static Session open(TestServer server) {
        return open(server, 1280, 860);
    }

    /** A fresh browser profile of the given viewport (a tablet is 820 x 1180). */
    public static synchronized Session open(TestServer server, int width, int height) {
        BrowserContext context = browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(server.baseUrl())
                .setViewportSize(width, height)
                .setColorScheme(ColorScheme.LIGHT)
                .setLocale("en-GB")
                .setTimezoneId("UTC"));
        context.setDefaultTimeout(15_000);
        return new Session(server, context);
    }

    /** One person's browser: a page, and what went wrong in it. */
    public static final class Session implements AutoCloseable {
        private final TestServer server;
        private final BrowserContext context;
        private final Page page;
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

        Session(TestServer server, BrowserContext context) {
            this.server = server;
            this.context = context;
            this.page = context.newPage();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error") || m.text().contains("Content Security Policy")) {
                    problems.add("console " + m.type() + ": " + m.text() + " at " + m.location());
                }
            });
            page.onPageError(e -> problems.add("page error: " + e));
            page.onRequestFailed(r -> {
                // A live stream or a fetch still open when the page is left is cut by the browser: not a fault.
                if (!"net::ERR_ABORTED".equals(r.failure())) {
                    problems.add("request failed: " + r.method() + " " + r.url() + " " + r.failure());
                }
            });
        }

        public Page page() {
            return page;
        }

        public TestServer server() {
            return server;
        }

        /** Signs in with a user's name and password on the sign-in page, and lands on {@code /}. */
        public Session signIn(String username, String password) {
            page.navigate("/login");
            page.getByLabel("Username").fill(username);
            page.getByLabel("Password").fill(password);
            page.locator("form[action='/login'] button[type=submit]").first().click();
            page.waitForURL(server.baseUrl() + "/");
            return this;
        }

        /** Goes to a path of the server and waits until its page and the requests it started are done. */
        public Page go(String path) {
            page.navigate(path);
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            return page;
        }

        /**
         * Saves the page as {@code target/screenshots/<name>-light.png} and {@code -dark.png} (the system's colour
         * scheme emulated, as a person's theme setting would), then goes back to light.
         */
        public void screenshots(String name) {
            try {
                Files.createDirectories(SCREENSHOTS);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
                page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
                page.waitForTimeout(100); // charts redraw their colours on the next frame
                page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                        .setPath(SCREENSHOTS.resolve(name + "-" + scheme.name().toLowerCase(java.util.Locale.ROOT) + ".png")));
            }
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
        }

        /** Every console error, page error and failed request so far. */
        public List<String> problems() {
            synchronized (problems) {
                return List.copyOf(problems);
            }
        }

        /** Fails on any console error, page error (a CSP violation included) or failed request. */
        public void assertNoProblems() {
            assertThat(problems()).as("console errors, CSP violations and failed requests").isEmpty();
        }

        /** Forgets the problems seen so far (after a step that makes one on purpose, such as a refused page). */
        public void forgetProblems() {
            problems.clear();
        }

        @Override
        public void close() {
            try {
                assertNoProblems();
            } finally {
                context.close();
            }
        }
    }

    /** A new user of a role ("admin", "editor", "viewer") with a known password; returns the username. */
    public static String newUser(TestServer server, String role) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        TestServer.Response r = server.call(TestServer.TOKEN, "POST", "/api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return name;
    }

    public static final String PASSWORD = "correct horse battery staple";
}
