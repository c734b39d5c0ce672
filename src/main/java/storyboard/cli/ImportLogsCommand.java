package storyboard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import storyboard.promptlog.PromptLogRoutes;

@Command(name = "import-logs", mixinStandardHelpOptions = true,
        description = {"Send the prompt logs the B-Line app left on disk to a server. Logs it already has are skipped.",
                "",
                "Needs a token with the scope " + ImportLogsCommand.SCOPES + " (or admin); it is checked before anything "
                        + "is sent."})
public final class ImportLogsCommand implements Callable<Integer> {
    /** What the import's routes need (LogImporter.ROUTES in RouteAccess); ImportLogsTest checks the two agree. */
    static final String SCOPES = "ingest";

    @picocli.CommandLine.Mixin
    ClientOptions connection = new ClientOptions();

    @Option(names = "--batch-size", defaultValue = "200", description = "Logs per request (1-1000, default 200)")
    int batchSize;

    @Option(names = "--all-json", description = "Import every .json file found, not only those named like the app's "
            + "logs (" + LogImporter.LOG_FILE_NAMES + ")")
    boolean allJson;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Folders to search (e.g. a project's logs/ folder)")
    List<Path> dirs;

    /** At most this many skipped files are named; the rest are counted. */
    static final int NAMED_SKIPS = 10;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1 || batchSize > PromptLogRoutes.MAX_BATCH_ITEMS) {
            throw new UserException("--batch-size must be from 1 to " + PromptLogRoutes.MAX_BATCH_ITEMS);
        }
        ServerClient client = connection.client();
        LogImporter.Found found;
        try {
            found = LogImporter.find(dirs, allJson);
        } catch (java.io.IOException e) {
            throw new UserException(e.getMessage());
        }
        List<Path> files = found.logs();
        if (files.isEmpty() && !found.skipped().isEmpty()) {
            throw new UserException("nothing imported: skipped " + skipped(found.skipped()));
        }
        if (!files.isEmpty()) connection.require("import-logs", CredentialCheck.scopesFor(LogImporter.ROUTES), null);
        LogImporter importer = new LogImporter(client, batchSize);
        LogImporter.Report report;
        try {
            if (System.console() != null && !files.isEmpty()) {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Importing").setInitialMax(files.size())
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" logs", 1).build()) {
                    report = importer.run(files, bar::stepTo);
                }
            } else {
                report = importer.run(files, done -> { });
            }
        } catch (java.io.IOException e) {
            throw new UserException("import stopped: " + e.getMessage());
        }
        System.out.printf("Found %d log file(s): %d imported, %d already present, %d rejected.%n",
                report.found(), report.imported(), report.alreadyPresent(), report.rejected().size());
        for (LogImporter.Rejection r : report.rejected()) {
            System.out.println("  rejected " + r.file() + ": " + r.reason());
        }
        if (!found.skipped().isEmpty()) System.out.println("Skipped " + skipped(found.skipped()) + ".");
        return report.rejected().isEmpty() ? 0 : 1;
    }

    /** "5 .json file(s) not named like the app's logs (...): a.json, b.json, ...; use --all-json to import them anyway" */
    static String skipped(List<String> names) {
        String listed = String.join(", ", names.subList(0, Math.min(NAMED_SKIPS, names.size())))
                + (names.size() > NAMED_SKIPS ? " and " + (names.size() - NAMED_SKIPS) + " more" : "");
        return names.size() + " .json file(s) not named like the app's logs (" + LogImporter.LOG_FILE_NAMES + "): "
                + listed + "; use --all-json to import them anyway";
    }
}
