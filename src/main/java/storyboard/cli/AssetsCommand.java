package storyboard.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            description = {"Register a folder tree (e.g. a B-Line project) as assets of a project. Files already there "
                    + "are skipped by hash; only missing blobs are uploaded; changed files become new versions.",
                    "",
                    "Needs a token with the scopes " + Scan.SCOPES + " (or admin) that may use --project (one "
                    + "restricted to other projects is refused); it is checked before anything is sent."})
    public static final class Scan implements Callable<Integer> {
        /** What the scan's routes need (AssetScanner.ROUTES in RouteAccess); ScanTest checks the two agree. */
        public static final String SCOPES = "ingest, read and write";

        @Parameters(paramLabel = "DIR", description = "The folder to register (names are paths relative to it)")
        Path dir;

        @Option(names = "--project", required = true, description = "The project the assets belong to")
        String project;

        @picocli.CommandLine.Mixin
        ClientOptions connection = new ClientOptions();

        @Override
        public Integer call() throws Exception {
            if (project.isBlank()) throw new UserException("--project must not be empty");
            int files;
            try {
                files = AssetScanner.findFiles(dir).size();
            } catch (java.io.IOException e) {
                throw new UserException("scan stopped: " + e.getMessage());
            }
            connection.require("assets scan", CredentialCheck.scopesFor(AssetScanner.ROUTES), project.strip());
            AssetScanner scanner = new AssetScanner(connection.client());
            AssetScanner.Report report;
            try {
                if (System.console() != null && files > 0) {
                    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Scanning").setInitialMax(files * 2L)
                            .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).build()) {
                        report = scanner.run(dir, project.strip(), bar::stepTo);
                    }
                } else {
                    report = scanner.run(dir, project.strip(), done -> { });
                }
            } catch (java.io.IOException e) {
                throw new UserException("scan stopped: " + e.getMessage());
            }
            System.out.printf("Scanned %d file(s): %d registered, %d new version(s), %d unchanged, %d failed; "
                            + "uploaded %d blob(s), %d bytes.%n", report.found(), report.registered(), report.newVersions(),
                    report.unchanged(), report.failed().size(), report.uploaded(), report.uploadedBytes());
            for (AssetScanner.Failure f : report.failed()) System.out.println("  failed " + f.file() + ": " + f.reason());
            return report.failed().isEmpty() ? 0 : 1;
        }
    }
}
