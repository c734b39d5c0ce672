package storyboard.server;

import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The options every command that opens the database shares, and how such a command opens it: the embedded
 * PostgreSQL (which only one process can run at a time) or DATABASE_URL.
 */
public final class DatabaseOptions {
    @Option(names = "--database-url", description = "PostgreSQL to use (postgresql://user:pass@host:5432/db); default: the embedded one")
    String databaseUrl;

    @Option(names = "--data-dir", description = "Data directory (default ./data)")
    String dataDir;

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
        Logging.configure(config.logFormat(), config.logFile());
        EmbeddedDatabase embedded = EmbeddedDatabase.startUnlessConfigured(config);
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
