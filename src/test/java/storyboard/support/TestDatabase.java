package storyboard.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import storyboard.server.DatabaseUrl;
import storyboard.server.EmbeddedDatabase;

/**
 * The PostgreSQL the tests run against: the embedded one by default, or STORYBOARD_TEST_DATABASE_URL when set.
 * Each test server gets a fresh database of its own, dropped when the tests end. An unreachable
 * STORYBOARD_TEST_DATABASE_URL fails the tests; nothing is skipped.
 */
public final class TestDatabase {
    public static final String ENV = "STORYBOARD_TEST_DATABASE_URL";
    private static TestDatabase instance;

    private final DatabaseUrl admin;
    private final EmbeddedDatabase embedded;
    private final List<String> created = new ArrayList<>();

    private TestDatabase(DatabaseUrl admin, EmbeddedDatabase embedded) {
        this.admin = admin;
        this.embedded = embedded;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            String external = System.getenv(ENV);
            if (external != null && !external.isBlank()) {
                instance = new TestDatabase(DatabaseUrl.parse(external), null);
                System.out.println("[tests] PostgreSQL: " + instance.admin.display() + " (" + ENV + ")");
            } else {
                EmbeddedDatabase pg = EmbeddedDatabase.start(Path.of("target", "test-postgres", UUID.randomUUID().toString())
                        .toAbsolutePath());
                instance = new TestDatabase(pg.url(), pg);
                System.out.println("[tests] PostgreSQL: embedded, " + pg.directory());
            }
            instance.checkReachable();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::cleanUp));
        }
        return instance;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** A new, empty database on the test server. */
    public synchronized DatabaseUrl newDatabase() {
        String name = "sbt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("create database " + name);
        created.add(name);
        String base = admin.jdbcUrl();
        int q = base.indexOf('?');
        String params = q < 0 ? "" : base.substring(q);
        String noParams = q < 0 ? base : base.substring(0, q);
        String url = noParams.substring(0, noParams.lastIndexOf('/') + 1) + name + params;
        return new DatabaseUrl(url, admin.user(), admin.password());
    }

    /** The database as a DATABASE_URL setting: the JDBC URL with its credentials as parameters. */
    public static String asSetting(DatabaseUrl db) {
        return db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + db.user().map(u -> "user=" + u).orElse("")
                + db.password().map(p -> "&password=" + p).orElse("");
    }

    public Connection connect(DatabaseUrl url) throws SQLException {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    private void checkReachable() {
        try (Connection c = connect(admin)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException("the test PostgreSQL " + admin.display() + " is not reachable: " + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        try (Connection c = connect(admin); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void cleanUp() {
        if (embedded != null) {
            embedded.close();
            return;
        }
        for (String db : created) {
            try {
                execute("drop database if exists " + db + " with (force)");
            } catch (RuntimeException ignored) {
                // best effort at exit
            }
        }
    }

    public Optional<EmbeddedDatabase> embedded() {
        return Optional.ofNullable(embedded);
    }
}
