package storyboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import storyboard.kernel.DomainException;
import storyboard.server.App;
import storyboard.server.Config;
import storyboard.server.EmbeddedDatabase;

/**
 * The one jar's entry point: {@code serve} (the default), {@code migrate}, {@code token}, {@code user}, {@code audit},
 * {@code import-logs}, {@code assets scan}, {@code gc}, {@code prompts export|import},
 * {@code project push|pull|status}, {@code help}. People run it
 * with the launcher, {@code bin/storyboard-server}, which starts the JVM with the server's flags.
 */
@Command(name = "storyboard-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Storyboard Server: the B-Line storyboard app's backend.",
                "With no command it serves, as `storyboard-server serve` does."},
        subcommands = {ServeCommand.class, MigrateCommand.class, TokenCommand.class, UserCommand.class, AuditCommand.class,
                ImportLogsCommand.class, AssetsCommand.class, GcCommand.class, PromptsCommand.class, ProjectCommand.class,
                HelpCommand.class},
        footer = {"",
                "`storyboard-server help COMMAND` shows a command's options, e.g. `storyboard-server help token "
                        + "create`; `storyboard-server help serve` lists every setting.",
                "",
                "Run it with the launcher bin/storyboard-server (bin\\storyboard-server.cmd on Windows), from the "
                        + "repository or linked into a folder on your PATH. It runs target/storyboard-server.jar (build "
                        + "it with ./mvnw -q package -DskipTests) with the server's JVM flags, in the current directory "
                        + "(./data, ./.env). Its environment:",
                "  JAVA_HOME             the Java to use (17 or newer); else java on the PATH",
                "  JAVA_OPTS             more JVM options, after the defaults so they win",
                "  STORYBOARD_CLASSPATH  run from these classes instead of the jar (tests)"})
public final class Main implements Runnable {
    /** The name of the settings section in {@code serve --help}. */
    static final String SETTINGS_SECTION = "settings";

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        String[] effective = args.length == 0 || args[0].startsWith("--") && !isTopLevelFlag(args[0])
                ? prepend("serve", args) : args;
        int code = commandLine().execute(effective);
        if (code != 0 || !"serve".equals(effective[0])) System.exit(code);
    }

    /**
     * The command line as {@link #main} runs it: failures and usage errors as one line, every command's help naming
     * the launcher, and {@code serve --help} listing every setting ({@link Config#SETTINGS}).
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::handleFailure)
                .setParameterExceptionHandler(Main::handleUsageError);
        for (CommandLine sub : cli.getSubcommands().values()) addLauncherFooter(sub);
        CommandLine serve = cli.getSubcommands().get("serve");
        serve.getHelpSectionMap().put(SETTINGS_SECTION, Main::settingsHelp);
        List<String> keys = new ArrayList<>(serve.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), SETTINGS_SECTION);
        serve.setHelpSectionKeys(keys);
        return cli;
    }

    private static void addLauncherFooter(CommandLine cmd) {
        String path = commandPath(cmd);
        List<String> footer = new ArrayList<>(List.of(cmd.getCommandSpec().usageMessage().footer()));
        footer.add("%nRun it with the launcher: bin/storyboard-server " + path + " ...");
        cmd.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        for (CommandLine sub : cmd.getSubcommands().values()) addLauncherFooter(sub);
    }

    /**
     * The settings section of {@code serve --help}, from {@link Config#SETTINGS}: each setting's name, the flag that
     * sets it where {@code serve} has one, its default, then what it means.
     */
    static String settingsHelp(CommandLine.Help help) {
        CommandSpec serve = help.commandSpec();
        int width = serve.usageMessage().width();
        StringBuilder out = new StringBuilder(System.lineSeparator());
        wrap(out, 0, "Settings: a flag where there is one, else the environment, else a KEY=VALUE line in ./.env, "
                + "else the default. An unknown or invalid setting stops start-up, naming it.", 0, width);
        for (Config.Setting s : Config.SETTINGS) {
            String flag = serve.findOption(s.flag()) != null ? ", " + s.flag() : "";
            wrap(out, 2, s.name() + flag + " (default: " + s.shownDefault() + ")", 6, width);
            wrap(out, 6, s.meaning(), 6, width);
        }
        return out.toString();
    }

    /** Appends text wrapped at spaces (never inside a value such as a URL), continuation lines indented. */
    private static void wrap(StringBuilder out, int firstIndent, String text, int indent, int width) {
        StringBuilder line = new StringBuilder(" ".repeat(firstIndent));
        boolean empty = true;
        for (String word : text.split(" +")) {
            if (!empty && line.length() + 1 + word.length() > width) {
                out.append(line).append(System.lineSeparator());
                line = new StringBuilder(" ".repeat(indent));
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        out.append(line).append(System.lineSeparator());
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

    /**
     * Failures people can act on are one line on stderr, not a stack trace: among them a store's refusal
     * ({@link DomainException}, e.g. a name already taken), which the HTTP API would answer with a 4xx.
     */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof Config.ConfigException || e instanceof App.StartupException
                || e instanceof EmbeddedDatabase.EmbeddedDatabaseException || e instanceof UserException
                || e instanceof DomainException) {
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

    /** A mistake on the command line: one line saying what, and where to read the options, not the whole usage. */
    private static int handleUsageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String line;
        if (e instanceof UnknownCommandException) {
            line = e.getMessage();
        } else if (e instanceof UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            line = unknownCommand(cmd, u.getUnmatched().get(0));
        } else {
            line = e.getMessage() + " (`" + helpCommandFor(cmd) + "` shows the options)";
        }
        PrintWriter err = cmd.getErr();
        err.println("error: " + line);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** "unknown command 'token frob'; did you mean ...? (`storyboard-server help token` lists the commands)". */
    static String unknownCommand(CommandLine parent, String name) {
        String path = commandPath(parent);
        String given = path.isEmpty() ? name : path + " " + name;
        List<String> close = new ArrayList<>();
        for (String known : parent.getSubcommands().keySet()) {
            if (known.startsWith(name) || name.startsWith(known) || editDistance(known, name) <= 2) close.add(known);
        }
        return "unknown command '" + given + "'" + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                + " (`" + helpCommandFor(parent) + "` lists the commands)";
    }

    private static String helpCommandFor(CommandLine cmd) {
        String path = commandPath(cmd);
        return path.isEmpty() ? "storyboard-server help" : "storyboard-server help " + path;
    }

    /** The command's names below the top, e.g. "token create" ("" for the top). */
    private static String commandPath(CommandLine cmd) {
        List<String> names = new ArrayList<>();
        for (CommandLine c = cmd; c.getParent() != null; c = c.getParent()) names.add(0, c.getCommandName());
        return String.join(" ", names);
    }

    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) row[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int up = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = up;
            }
        }
        return row[b.length()];
    }

    /** A command name that names no command; its message is complete. */
    static final class UnknownCommandException extends ParameterException {
        private static final long serialVersionUID = 1L;

        UnknownCommandException(CommandLine parent, String name) {
            super(parent, unknownCommand(parent, name));
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"storyboard-server " + App.VERSION};
        }
    }
}
