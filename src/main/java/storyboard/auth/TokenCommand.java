package storyboard.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import storyboard.api.RequestParams;
import storyboard.server.DatabaseOptions;
import storyboard.server.Main;

/** {@code token create|list|revoke}: manage stored tokens directly in the database. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--name", required = true, description = "What the token is for, e.g. 'Mara's laptop'")
        String name;

        @Option(names = "--scopes", defaultValue = "ingest", description = "Comma-separated: ingest, read, write, worker, admin (default ingest)")
        String scopes;

        @Option(names = "--expires", description = "Expiry: an ISO-8601 time (2027-01-31T00:00:00Z) or a duration such as 30d or 12h")
        String expires;

        @Override
        public Integer call() {
            Set<Scope> parsed;
            try {
                parsed = Scope.parseList(scopes);
            } catch (IllegalArgumentException e) {
                throw new Main.UserException("--scopes: " + e.getMessage());
            }
            Instant expiry = expires == null ? null : parseExpiry(expires);
            TokenStore.CreatedToken t = database.withDatabase(db -> new TokenStore(db.jdbi())
                    .create(name, parsed, "cli", expiry));
            System.out.println(t.token());
            System.err.println("Created token '" + name + "' (" + t.info().id() + ") with scopes "
                    + parsed.stream().map(Scope::id).toList() + ". It is shown only this once.");
            return 0;
        }

        static Instant parseExpiry(String s) {
            var m = java.util.regex.Pattern.compile("(\\d+)([dhm])").matcher(s.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
                return Instant.now().plus(d);
            }
            try {
                return RequestParams.parseInstant(s.trim()).orElseThrow(() -> new DateTimeParseException(s, s, 0));
            } catch (DateTimeParseException e) {
                throw new Main.UserException("--expires: expected an ISO-8601 time or a duration such as 30d, not '" + s + "'");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secret).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            var tokens = database.withDatabase(db -> new TokenStore(db.jdbi()).list());
            System.out.printf("%-36s  %-12s  %-24s  %-20s  %-8s  %s%n", "ID", "PREFIX", "NAME", "SCOPES", "STATE", "LAST USED");
            for (TokenStore.TokenInfo t : tokens) {
                String state = t.revokedAt() != null ? "revoked"
                        : t.expiresAt() != null && t.expiresAt().isBefore(Instant.now()) ? "expired" : "active";
                System.out.printf("%-36s  %-12s  %-24s  %-20s  %-8s  %s%n", t.id(), t.prefix(), t.name(),
                        String.join(",", t.scopes().stream().map(Scope::id).toList()), state,
                        t.lastUsedAt() == null ? "never" : t.lastUsedAt().toString());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id or prefix.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "ID_OR_PREFIX")
        String key;

        @Override
        public Integer call() {
            boolean revoked = database.withDatabase(db -> new TokenStore(db.jdbi()).revoke(key));
            if (!revoked) throw new Main.UserException("no active token with id or prefix '" + key + "'");
            System.out.println("Revoked " + key + ".");
            return 0;
        }
    }
}
