package storyboard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code project push|pull|status DIR}: a B-Line project folder kept in step with a project on a server. */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = {"Keep a B-Line project folder in step with a project on the server, revision by revision.",
                "The folder's sync state is DIR/.storyboard/sync.json (never pushed): the server, project and revision "
                        + "it was last pushed or pulled at, and that revision's files. --server defaults to that server."},
        subcommands = {ProjectCommand.Push.class, ProjectCommand.Pull.class, ProjectCommand.Status.class})
public final class ProjectCommand implements Runnable {
    static final String EXIT_STATUS = "Exit status: 0 done; 1 refused, nothing changed (someone pushed first, or local "
            + "changes are in the way); 2 failed (the message says why).";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: push, pull or status");
    }

    /** Runs a sync step; a transfer cut off is a one-line failure (the folder's sync state is written last). */
    private interface Step {
        int run(ProjectSync sync) throws IOException, InterruptedException;
    }

    private static int run(CommandSpec spec, ClientOptions connection, String what, Step step) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return step.run(new ProjectSync(connection, System.out, err));
        } catch (IOException e) {
            throw new UserException(what + " stopped: " + e.getMessage());
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Send the folder's changes to the server as a new revision.",
                    "",
                    "The first push imports the folder as a new project (streamed as a zip; the server checks it and "
                    + "answers an import report); later pushes send only the files that changed. If someone pushed "
                    + "since the folder's revision, the push is refused with who pushed what and when, and nothing "
                    + "changes: pull first.",
                    "",
                    "Needs a token with the scopes " + Push.SCOPES + " (or admin) that may use the project; it is checked "
                            + "before anything is sent."},
            footer = {"", EXIT_STATUS})
    static final class Push implements Callable<Integer> {
        /** What push's routes need (ProjectSync.IMPORT_ROUTES and PUSH_ROUTES in RouteAccess); ProjectSyncTest checks. */
        static final String SCOPES = "read and write";

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The project folder (the one with project.json)")
        Path dir;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "What the revision changes")
        String message;

        @Mixin
        ClientOptions connection = new ClientOptions();

        @Override
        public Integer call() throws Exception {
            return run(spec, connection, "push", sync -> sync.push(dir, message));
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = {"Bring the folder to a revision of the server's project.",
                    "",
                    "The newest revision unless --revision says which. Only the files that changed are downloaded, each checked against its hash and renamed into place, and "
                    + "files removed upstream are deleted. A file to be written or deleted that has local changes not "
                    + "pushed stops the pull, listing them, before anything is written (--force overwrites them). "
                    + "Local changes to other files are kept.",
                    "",
                    "Needs a token with the scope " + Pull.SCOPES + " (or admin) that may use the project; it is checked "
                            + "before anything is read or written."},
            footer = {"", EXIT_STATUS})
    static final class Pull implements Callable<Integer> {
        /** What pull's routes need (ProjectSync.PULL_ROUTES in RouteAccess); ProjectSyncTest checks. */
        static final String SCOPES = "read";

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The project folder (made if missing)")
        Path dir;

        @Option(names = "--project", paramLabel = "ID_OR_NAME",
                description = "The project to pull: needed the first time, into an empty or new folder")
        String project;

        @Option(names = "--revision", paramLabel = "N", description = "The revision to pull (default: the newest)")
        Integer revision;

        @Option(names = "--force", description = "Overwrite or delete files with local changes that were not pushed")
        boolean force;

        @Mixin
        ClientOptions connection = new ClientOptions();

        @Override
        public Integer call() throws Exception {
            return run(spec, connection, "pull", sync -> sync.pull(dir, project, revision, force));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"List the folder's changes since its last push or pull.",
                    "",
                    "Each changed file on a line, A added, M modified, D deleted; then whether the server has a newer "
                    + "revision (one request, with a token with the scope read; when the server cannot be asked, "
                    + "the local changes are listed all the same). Exit status 0 unless DIR is not a synced folder."})
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The project folder")
        Path dir;

        @Mixin
        ClientOptions connection = new ClientOptions();

        @Override
        public Integer call() {
            return new ProjectSync(connection, System.out, null).status(dir);
        }
    }
}
