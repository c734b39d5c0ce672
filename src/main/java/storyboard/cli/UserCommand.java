package storyboard.cli;

import storyboard.kernel.Actor;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import storyboard.auth.Passwords;
import storyboard.auth.Role;
import storyboard.auth.UserStore;

/**
 * {@code user create|list|set-password|disable|enable|delete}: manage people's accounts directly in the
 * database (e.g. the first admin). Passwords are read from a prompt (typed twice, not echoed) or from stdin,
 * never from a flag, so they stay out of shell history and process lists.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Create and manage users who sign in to the web dashboard.",
        subcommands = {UserCommand.Create.class, UserCommand.ListUsers.class, UserCommand.SetPassword.class,
                UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Delete.class})
public final class UserCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where a password comes from. */
    static final class PasswordSource {
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input (for scripts)")
        boolean stdin;

        String read() {
            String password;
            if (stdin) {
                try {
                    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    if (line == null) throw new UserException("--password-stdin: standard input is empty");
                    password = line;
                } catch (IOException e) {
                    throw new UserException("--password-stdin: " + e.getMessage());
                }
            } else {
                Console console = System.console();
                if (console == null) {
                    throw new UserException("no terminal to ask for the password; use --password-stdin");
                }
                char[] first = console.readPassword("Password (at least %d characters): ", Passwords.MIN_LENGTH);
                char[] second = console.readPassword("Password again: ");
                if (first == null || second == null) throw new UserException("no password given");
                boolean same = Arrays.equals(first, second);
                password = new String(first);
                Arrays.fill(first, '\0');
                Arrays.fill(second, '\0');
                if (!same) throw new UserException("the passwords differ");
            }
            String problem = Passwords.problem(password);
            if (problem != null) throw new UserException(problem);
            return password;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user; asks for the password.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Mixin
        PasswordSource passwordSource;

        @Option(names = "--username", required = true, description = "The sign-in name (letters, digits, . _ @ + -)")
        String username;

        @Option(names = "--role", required = true, description = "admin, editor (ingest, read, write) or viewer (read)")
        String role;

        @Option(names = "--display-name", description = "The name shown in the dashboard")
        String displayName;

        @Override
        public Integer call() {
            Role r;
            try {
                r = Role.parse(role);
                UserStore.validUsername(username);
                UserStore.validDisplayName(displayName);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            String password = passwordSource.read();
            UserStore.UserInfo u = database.withDatabase(db -> refusals(() -> new UserStore(db.jdbi())
                    .create(Actor.cli(), new UserStore.NewUser(username, displayName, r, password))));
            System.out.println("Created user " + u.username() + " (" + u.id() + ") with role " + u.role().id() + ".");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users (never their password).")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            var users = database.withDatabase(db -> new UserStore(db.jdbi()).list());
            String format = "%-36s  %-24s  %-24s  %-7s  %-8s  %s%n";
            System.out.printf(format, "ID", "USERNAME", "DISPLAY NAME", "ROLE", "STATE", "LAST SIGN-IN");
            for (UserStore.UserInfo u : users) {
                System.out.printf(format, u.id(), u.username(), u.displayName() == null ? "" : u.displayName(),
                        u.role().id(), u.disabled() ? "disabled" : "active",
                        u.lastLoginAt() == null ? "never" : u.lastLoginAt().toString());
            }
            return 0;
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true,
            description = "Give a user a new password (asks for it); ends the user's sessions.")
    static final class SetPassword implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Mixin
        PasswordSource passwordSource;

        @Parameters(paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            String password = passwordSource.read();
            UserStore.UserInfo u = change(database, username, (store, id) -> store.update(Actor.cli(), id,
                    new UserStore.Edits(null, null, password, null)));
            System.out.println("Set a new password for " + u.username() + "; their sessions have ended.");
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop a user from signing in; ends their sessions at once.")
    static final class Disable implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            UserStore.UserInfo u = change(database, username, (store, id) -> store.update(Actor.cli(), id,
                    new UserStore.Edits(null, null, null, true)));
            System.out.println("Disabled " + u.username() + ".");
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a disabled user sign in again.")
    static final class Enable implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            UserStore.UserInfo u = change(database, username, (store, id) -> store.update(Actor.cli(), id,
                    new UserStore.Edits(null, null, null, false)));
            System.out.println("Enabled " + u.username() + ".");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user and their sessions.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            UserStore.UserInfo u = change(database, username, (store, id) -> store.delete(Actor.cli(), id));
            System.out.println("Deleted " + u.username() + " (" + u.id() + ").");
            return 0;
        }
    }

    /** Finds the user by name and applies the change, turning refusals into one-line errors. */
    private static UserStore.UserInfo change(DatabaseOptions database, String username,
                                             BiFunction<UserStore, UUID, java.util.Optional<UserStore.UserInfo>> work) {
        return database.withDatabase(db -> {
            UserStore store = new UserStore(db.jdbi());
            UserStore.UserInfo u = store.findByUsername(username)
                    .orElseThrow(() -> new UserException("no user named '" + username + "'"));
            return refusals(() -> work.apply(store, u.id()))
                    .orElseThrow(() -> new UserException("no user named '" + username + "'"));
        });
    }

    private static <T> T refusals(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (UserStore.InvalidField | UserStore.Conflict e) {
            throw new UserException(e.getMessage());
        }
    }
}
