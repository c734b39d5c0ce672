package storyboard.cli;

import storyboard.kernel.Scope;
import storyboard.kernel.Actor;
import storyboard.kernel.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import storyboard.api.Durations;
import storyboard.api.RequestParams;
import storyboard.auth.TokenRequests;
import storyboard.auth.TokenStore;

/** {@code token create|list|revoke}: manage stored tokens directly in the database. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--name", required = true, description = "What the token is for, e.g. 'Mara's laptop'")
        String name;

        @Option(names = "--scopes", defaultValue = "ingest",
                description = "Comma-separated: ingest, read, write, worker, admin (default ingest)")
        String scopes;

        @Option(names = "--project", split = ",",
                description = "Restrict the token to these projects (repeat or comma-separate); default: every project")
        List<String> projects;

        @Option(names = "--expires", description = "Expiry: an ISO-8601 time (2027-01-31T00:00:00Z) or a duration such as 30d, 12h or 90m")
        String expires;

        @Option(names = "--rate-limit", description = "Requests per second for this token (0: unlimited); default: the server's RATE_LIMIT / RATE_LIMIT_INGEST")
        Integer rateLimit;

        @Override
        public Integer call() {
            TokenStore.NewToken spec;
            try {
                spec = TokenRequests.validate(name, Scope.parseList(scopes),
                        projects == null ? null : new LinkedHashSet<>(projects),
                        expires == null ? null : parseExpiry(expires), rateLimit);
            } catch (IllegalArgumentException | DomainException e) {
                throw new UserException(e.getMessage());
            }
            TokenStore.CreatedToken t = database.withDatabase(db -> new TokenStore(db.jdbi()).create(Actor.cli(), spec));
            System.out.println(t.token());
            System.err.println("Created token '" + name + "' (" + t.info().id() + ") with scopes "
                    + spec.scopes().stream().map(Scope::id).sorted().toList()
                    + (spec.projects().isEmpty() ? "" : ", restricted to projects " + spec.projects())
                    + (spec.expiresAt() == null ? "" : ", expiring " + spec.expiresAt())
                    + ". It is shown only this once.");
            return 0;
        }
    }

    /** An expiry given as an ISO-8601 time or as a duration from now such as {@code 30d}, {@code 12h}, {@code 90m}. */
    static Instant parseExpiry(String s) {
        Optional<Duration> d = Durations.parse(s);
        if (d.isPresent()) return Instant.now().plus(d.get());
        return RequestParams.parseInstant(s.trim()).orElseThrow(() -> new IllegalArgumentException(
                "--expires: expected an ISO-8601 time or a duration such as 30d, not '" + s + "'"));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secret).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            var tokens = database.withDatabase(db -> new TokenStore(db.jdbi()).list());
            String format = "%-36s  %-10s  %-24s  %-18s  %-16s  %-8s  %-20s  %s%n";
            System.out.printf(format, "ID", "PREFIX", "NAME", "SCOPES", "PROJECTS", "STATE", "EXPIRES", "LAST USED");
            for (TokenStore.TokenInfo t : tokens) {
                System.out.printf(format, t.id(), t.prefix(), t.name(),
                        String.join(",", t.scopes().stream().map(Scope::id).sorted().toList()),
                        t.projects().isEmpty() ? "*" : String.join(",", t.projects()), t.state(),
                        t.expiresAt() == null ? "never" : t.expiresAt().toString(),
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
            var revoked = database.withDatabase(db -> new TokenStore(db.jdbi()).revoke(Actor.cli(), key));
            if (revoked.isEmpty()) throw new UserException("no active token with id or prefix '" + key + "'");
            System.out.println("Revoked " + revoked.get().name() + " (" + revoked.get().id() + ").");
            return 0;
        }
    }
}
