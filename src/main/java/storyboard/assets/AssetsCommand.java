package storyboard.assets;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import storyboard.server.Config;
import storyboard.server.Main;

/** {@code assets}: the asset registry from the command line. */
@Command(name = "assets", mixinStandardHelpOptions = true, description = "The asset registry.",
        subcommands = {AssetsCommand.Scan.class})
public final class AssetsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = "Register a folder tree (e.g. a B-Line project) as assets of a project. Files already there "
                    + "are skipped by hash; only missing blobs are uploaded; changed files become new versions.")
    public static final class Scan implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The folder to register (names are paths relative to it)")
        Path dir;

        @Option(names = "--project", required = true, description = "The project the assets belong to")
        String project;

        @Option(names = "--server", description = "Server URL (default http://localhost:<PORT>)")
        String server;

        @Option(names = "--token", description = "Token with the write scope (default: AUTH_TOKEN)")
        String token;

        @Override
        public Integer call() throws Exception {
            if (project.isBlank()) throw new Main.UserException("--project must not be empty");
            Config config = Config.resolve(java.util.Map.of(), System.getenv(), Path.of(".env"));
            String url = server != null ? server : "http://localhost:" + config.port();
            String bearer = token != null ? token : config.authToken().orElseThrow(() ->
                    new Main.UserException("no token: pass --token or set AUTH_TOKEN"));
            AssetScanner scanner = new AssetScanner(url, bearer);
            AssetScanner.Report report;
            try {
                int files = AssetScanner.findFiles(dir).size();
                if (System.console() != null && files > 0) {
                    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Scanning").setInitialMax(files * 2L)
                            .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).build()) {
                        report = scanner.run(dir, project.strip(), bar::stepTo);
                    }
                } else {
                    report = scanner.run(dir, project.strip(), done -> { });
                }
            } catch (java.io.IOException e) {
                throw new Main.UserException("scan stopped: " + e.getMessage());
            }
            System.out.printf("Scanned %d file(s): %d registered, %d new version(s), %d unchanged, %d failed; "
                            + "uploaded %d blob(s), %d bytes.%n", report.found(), report.registered(), report.newVersions(),
                    report.unchanged(), report.failed().size(), report.uploaded(), report.uploadedBytes());
            for (AssetScanner.Failure f : report.failed()) System.out.println("  failed " + f.file() + ": " + f.reason());
            return report.failed().isEmpty() ? 0 : 1;
        }
    }
}
