package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import storyboard.kernel.DomainException;

/** How a command that fails ends: one line on stderr and a non-zero status, whether it or a store refused. */
class CommandFailuresTest {
    @Command(name = "refused")
    static final class Refused implements Callable<Integer> {
        final RuntimeException failure;

        Refused(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private record Run(int code, String err) {}

    private static Run run(RuntimeException failure) {
        CommandLine cli = Main.commandLine();
        cli.addSubcommand(new CommandLine(new Refused(failure)));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute("refused"), err.toString());
    }

    @Test
    void aStoresRefusalIsOneLineAndANonZeroStatusAsAUserErrorIs() {
        Run user = run(new UserException("--limit: from 1 to 500"));
        assertThat(user.code()).isEqualTo(2);
        assertThat(user.err()).isEqualTo("error: --limit: from 1 to 500" + System.lineSeparator());

        Run store = run(DomainException.conflict("username_taken", "the username 'mara' is taken"));
        assertThat(store.code()).isEqualTo(user.code());
        assertThat(store.err()).isEqualTo("error: the username 'mara' is taken" + System.lineSeparator());
    }
}
