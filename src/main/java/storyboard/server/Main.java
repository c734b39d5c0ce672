package storyboard.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import storyboard.assets.AssetsCommand;
import storyboard.auth.AuditCommand;
import storyboard.auth.TokenCommand;
import storyboard.auth.UserCommand;
import storyboard.promptlog.ImportLogsCommand;

/** The one jar's entry point: {@code serve} (the default), {@code migrate}, {@code token}, {@code user}, {@code audit},
 * {@code import-logs}, {@code assets scan}, {@code gc}, {@code prompts export|import}. */
@Command(name = "storyboard-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Storyboard Server: the B-Line storyboard app's backend.",
        subcommands = {ServeCommand.class, MigrateCommand.class, TokenCommand.class, UserCommand.class, AuditCommand.class,
                ImportLogsCommand.class, AssetsCommand.class, storyboard.assets.GcCommand.class,
                storyboard.prompts.PromptsCommand.class})
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        String[] effective = args.length == 0 || args[0].startsWith("--") && !isTopLevelFlag(args[0])
                ? prepend("serve", args) : args;
        int code = cli.setExecutionExceptionHandler(Main::handleFailure).execute(effective);
        if (code != 0 || !"serve".equals(effective[0])) System.exit(code);
    }

    private static boolean isTopLevelFlag(String arg) {
        return arg.equals("--help") || arg.equals("--version");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    /** Failures people can act on are one line on stderr, not a stack trace. */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof Config.ConfigException || e instanceof App.StartupException
                || e instanceof EmbeddedDatabase.EmbeddedDatabaseException || e instanceof UserException) {
            err.println("error: " + e.getMessage());
        } else if (e.getClass().getName().contains("Bind") || e.getCause() instanceof java.net.BindException) {
            err.println("error: cannot listen: " + App.rootMessage(e) + " (is another server using the port? set PORT)");
        } else {
            err.println("error: " + App.rootMessage(e));
            e.printStackTrace(err);
        }
        err.flush();
        return 2;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Resolves the settings shared by every command: flags given, then the environment, then ./.env. */
    static Config config(Map<String, String> flags) {
        return Config.resolve(flags, System.getenv(), Path.of(".env"));
    }

    static Map<String, String> flags(Object... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) m.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return m;
    }

    /** A failure caused by how the command was used, shown as one line. */
    public static final class UserException extends RuntimeException {
        public UserException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"storyboard-server " + VERSION};
        }
    }
}
