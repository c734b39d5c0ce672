package storyboard.cli;

import storyboard.kernel.Actor;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storyboard.kernel.Json;
import storyboard.api.RequestParams;
import storyboard.auth.AuditLog;

/** {@code audit}: read the audit trail from the command line, newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show the audit trail (admin actions, deletes, token and user changes, sign-ins), newest first.")
public final class AuditCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--action", description = "Exact action (token.created) or a prefix (token.*)")
    String action;

    @Option(names = "--actor", description = "Actor id or name")
    String actor;

    @Option(names = "--target", description = "Target id (a token id, user id, prompt log id, ...)")
    String target;

    @Option(names = "--since", description = "From this ISO-8601 time or date")
    String since;

    @Option(names = "--limit", defaultValue = "50", description = "How many events (default 50, at most 500)")
    int limit;

    @Option(names = "--json", description = "One JSON object per line instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || limit > 500) throw new UserException("--limit: from 1 to 500");
        var from = since == null ? Optional.<java.time.Instant>empty() : Optional.of(RequestParams.parseInstant(since.trim())
                .orElseThrow(() -> new UserException("--since: expected an ISO-8601 time or date, not '" + since + "'")));
        var filter = new AuditLog.Filter(Optional.ofNullable(action), Optional.ofNullable(actor), Optional.empty(),
                Optional.empty(), Optional.ofNullable(target), from, Optional.empty());
        var page = database.withDatabase(db -> new AuditLog(db.jdbi()).list(filter, limit, Optional.empty()));
        String format = "%-24s  %-22s  %-30s  %-40s  %s%n";
        if (!json) System.out.printf(format, "AT", "ACTION", "ACTOR", "TARGET", "ADDRESS");
        for (var e : page.items()) {
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(e));
                continue;
            }
            String actorText = e.actor().type() + (e.actor().name() == null ? "" : " " + e.actor().name());
            String targetText = e.targetType() == null ? "" : e.targetType() + " " + e.targetId();
            System.out.printf(format, e.at(), e.action(), actorText, targetText, e.address() == null ? "" : e.address());
        }
        return 0;
    }
}
