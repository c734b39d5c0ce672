import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads each page of the dashboard in Debian's headless Chromium, RUNS times after one warm-up load, and prints per
 * page the Navigation Timing figures (loadEventEnd: the page and everything it links, scripts and styles included)
 * and the time until every htmx fragment it loads on its own (the overview's panels, a list's first rows) has
 * arrived: the network idle and no ".loading" placeholder left.
 *
 *   java -cp <test classpath> PageTimings.java BASE_URL TOKEN RUNS /path1 /path2 ...
 *
 * One line per page: "PAGE path=/ runs=10 load_p50_ms=.. load_p95_ms=.. load_max_ms=.. settled_p50_ms=.. settled_p95_ms=.."
 */
public class PageTimings {
    public static void main(String[] args) {
        String base = args[0];
        String token = args[1];
        int runs = Integer.parseInt(args[2]);
        List<String> paths = Arrays.asList(args).subList(3, args.length);
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(java.nio.file.Paths.get("/usr/bin/chromium")).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-dev-shm-usage")));
            // One browser profile, as a person's: the static files are cached after the first load, as they are
            // for anyone who has opened the dashboard once (they are immutable for a year).
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setBaseURL(base)
                    .setViewportSize(1280, 860).setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token)));
            Page page = context.newPage();
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(m -> { if (m.type().equals("error")) errors.add(m.text()); });
            for (String path : paths) {
                double[] load = new double[runs];
                double[] settled = new double[runs];
                for (int i = -1; i < runs; i++) {
                    long t0 = System.nanoTime();
                    page.navigate(path);
                    page.waitForLoadState(LoadState.LOAD);
                    page.waitForLoadState(LoadState.NETWORKIDLE);
                    page.waitForFunction("!document.querySelector('.loading')");
                    double wall = (System.nanoTime() - t0) / 1e6;
                    Object end = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd");
                    // The moment the last fragment arrived: the latest end of a resource fetched by the page.
                    Object last = page.evaluate("Math.max(0, ...performance.getEntriesByType('resource')"
                            + ".filter(r => r.initiatorType === 'xmlhttprequest' || r.initiatorType === 'fetch')"
                            + ".map(r => r.responseEnd))");
                    if (i >= 0) {
                        load[i] = ((Number) end).doubleValue();
                        settled[i] = Math.max(load[i], ((Number) last).doubleValue());
                    }
                    if (wall > 30_000) throw new IllegalStateException(path + " took " + wall + " ms");
                }
                Arrays.sort(load);
                Arrays.sort(settled);
                System.out.printf("PAGE path=%s runs=%d load_p50_ms=%.1f load_p95_ms=%.1f load_max_ms=%.1f "
                                + "settled_p50_ms=%.1f settled_p95_ms=%.1f%n", path, runs, pct(load, 50), pct(load, 95),
                        load[runs - 1], pct(settled, 50), pct(settled, 95));
            }
            System.out.printf("CONSOLE errors=%d%s%n", errors.size(), errors.isEmpty() ? "" : " first=" + errors.get(0));
            browser.close();
        }
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
