package storyboard.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The connection pool, the schema migrations and the JDBI handle every capability's store uses. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** The schema version this build migrated to; readiness requires the database to still be there. */
    private volatile String latestMigration;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /** Opens a pool on the database. Does not wait for the database to answer. */
    public static Database open(DatabaseUrl url, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(hc::setUsername);
        url.password().ifPresent(hc::setPassword);
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(Math.min(2, poolSize));
        hc.setPoolName("storyboard");
        // A request must not hang when the database is away: fail fast, the caller answers 503.
        hc.setConnectionTimeout(TimeUnit.SECONDS.toMillis(3));
        hc.setValidationTimeout(TimeUnit.SECONDS.toMillis(2));
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("socketTimeout", "60");
        hc.addDataSourceProperty("connectTimeout", "3");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("ApplicationName", "storyboard-server");
        return new Database(new HikariDataSource(hc));
    }

    public static Flyway flyway(DataSource ds) {
        return Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .connectRetries(2)
                .load();
    }

    public MigrateResult migrate() {
        EditedMigrations.repair(dataSource);
        MigrateResult result = flyway(dataSource).migrate();
        latestMigration = schemaVersion();
        return result;
    }

    /** True when the database answers and every migration this build knows is applied. */
    public boolean ready() {
        try {
            return jdbi.withHandle(h -> {
                String applied = h.createQuery(
                                "select version from flyway_schema_history where success and version is not null "
                                        + "order by installed_rank desc limit 1")
                        .setQueryTimeout(2).mapTo(String.class).findOne().orElse(null);
                return latestMigration != null && latestMigration.equals(applied);
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The version of the newest migration applied. */
    public String schemaVersion() {
        return jdbi.withHandle(h -> h.createQuery("select version from flyway_schema_history where success"
                + " and version is not null order by installed_rank desc limit 1").mapTo(String.class).findOne()
                .orElse("none"));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
