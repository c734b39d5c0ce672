package storyboard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND [SUB-COMMAND]]}: a command's usage, e.g. {@code help token create}. picocli's own
 * {@link CommandLine.HelpCommand} takes a single name, so it cannot show a sub-command's.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the options of a command, e.g. help gc or help token create.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean helpRequested;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, then its sub-command if it has them.")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new Main.UnknownCommandException(target, name);
            }
            target = next;
        }
        target.usage(out, colors);
    }
}
