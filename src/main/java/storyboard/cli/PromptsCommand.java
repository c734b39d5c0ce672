package storyboard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompts export DIR} and {@code prompts import DIR}: the registry as a folder of files, for git. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Export the prompt registry to a folder (one YAML file per version) or push such a folder to a server.",
        subcommands = {PromptsCommand.Export.class, PromptsCommand.Import.class})
public final class PromptsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: export or import");
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write every prompt version (archived prompts too) as DIR/<name>@<version>.yaml, with its labels.",
                    "",
                    "Needs a token with the scope " + Export.SCOPES + " (or admin); it is checked before anything is "
                            + "read or written."})
    static final class Export implements Callable<Integer> {
        /** What export's routes need (PromptSync.EXPORT_ROUTES in RouteAccess); PromptTransferTest checks the two agree. */
        static final String SCOPES = "read";

        @picocli.CommandLine.Mixin
        ClientOptions connection = new ClientOptions();

        @Parameters(paramLabel = "DIR", description = "Folder to write into (made if missing; existing version files are overwritten)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            PromptSync.ExportReport r;
            try {
                connection.require("prompts export", CredentialCheck.scopesFor(PromptSync.EXPORT_ROUTES), null);
                r = new PromptSync(connection.client(), System.out::println).export(dir);
            } catch (IOException e) {
                throw new UserException("export stopped: " + e.getMessage());
            }
            System.out.printf("Exported %d prompt(s), %d version file(s), to %s.%n", r.prompts(), r.versions(), dir);
            for (Path p : r.notInRegistry()) System.out.println("  not in the registry (not imported yet?): " + p);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Push a folder of version files to the server: new versions are added, labels moved, archive "
                    + "state set. Idempotent: running it again changes nothing.",
                    "",
                    "Needs a token with the scopes " + Import.SCOPES + " (or admin); with --dry-run, "
                            + Import.DRY_RUN_SCOPES + " only. It is checked before anything is sent."})
    static final class Import implements Callable<Integer> {
        /** What import's routes need (PromptSync.IMPORT_ROUTES, DRY_RUN_ROUTES in RouteAccess); PromptTransferTest checks. */
        static final String SCOPES = "read and write";
        static final String DRY_RUN_SCOPES = "read";

        @picocli.CommandLine.Mixin
        ClientOptions connection = new ClientOptions();

        @Option(names = "--dry-run", description = "Only say what would change")
        boolean dryRun;

        @Parameters(paramLabel = "DIR", description = "Folder of <name>@<version>.yaml files, as export writes them")
        Path dir;

        @Override
        public Integer call() throws Exception {
            PromptSync.ImportReport r;
            try {
                connection.require("prompts import" + (dryRun ? " --dry-run" : ""), CredentialCheck.scopesFor(
                        dryRun ? PromptSync.DRY_RUN_ROUTES : PromptSync.IMPORT_ROUTES), null);
                r = new PromptSync(connection.client(), System.out::println).importFrom(dir, dryRun);
            } catch (IOException e) {
                throw new UserException("import stopped: " + e.getMessage());
            }
            System.out.printf("%s%d prompt(s): %d version(s) %s, %d label(s) %s, %d unchanged, %d not imported.%n",
                    dryRun ? "Dry run: " : "", r.prompts(), r.created(), dryRun ? "to create" : "created", r.labelsMoved(),
                    dryRun ? "to move" : "moved", r.unchanged(), r.problems().size());
            return r.problems().isEmpty() ? 0 : 1;
        }
    }
}
