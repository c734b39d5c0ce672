package storyboard.cli;

import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import storyboard.server.Config;
import storyboard.server.Database;
import storyboard.server.EmbeddedDatabase;
import storyboard.server.Logging;

/**
 * The options every command that opens the database shares, and how such a command opens it: DATABASE_URL, else the
 * embedded PostgreSQL of the server running on the data directory (left running), else one started for the command.
 */
public final class DatabaseOptions {
    @Option(names = "--database-url", description = "PostgreSQL to use (postgresql://user:pass@host:5432/db); default: the embedded one")
    String databaseUrl;

    @Option(names = "--data-dir", description = "Data directory (default ./data)")
    String dataDir;

    /** The command these options belong to, for "in use by ..." messages. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public Map<String, String> flags() {
        return Main.flags("DATABASE_URL", databaseUrl, "STORYBOARD_DATA_DIR", dataDir);
    }

    /** The settings these options, the environment and ./.env resolve to. */
    public Config config() {
        return Main.config(flags());
    }

    /** Opens the database (migrated), runs the work, closes everything. */
    public <T> T withDatabase(Function<Database, T> work) {
        Config config = Main.config(flags());
        Logging.configureForCommand(config.logFormat(), config.logFile());
        EmbeddedDatabase embedded = EmbeddedDatabase.useUnlessConfigured(config,
                command == null ? "storyboard-server" : command.qualifiedName());
        try {
            try (Database db = Database.open(EmbeddedDatabase.urlFor(config, embedded), 2)) {
                db.migrate();
                return work.apply(db);
            }
        } finally {
            if (embedded != null) embedded.close();
        }
    }
}
