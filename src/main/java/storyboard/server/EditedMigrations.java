package storyboard.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Migrations that were edited after they had been committed (before migrations were pinned as append-only), brought
 * in line on databases that ran their first text, so Flyway's validation lets those databases start.
 *
 * <p>V12 (budgets) first created {@code prompt_spend} with the key (project, month); 27 minutes later it was edited
 * to add a {@code shard} column to the key. A database that ran the first text gets the column and key here, and
 * its history row gets the current checksum, exactly as if it had run the current V12.
 */
final class EditedMigrations {
    /** Flyway's checksum of V12's first text (commit 9eae230) and of its current text. */
    static final int V12_FIRST_CHECKSUM = -948519099;
    static final int V12_CURRENT_CHECKSUM = 976494548;

    private EditedMigrations() {}

    /** Runs before Flyway's validation; does nothing on a new database or one that ran the current texts. */
    static void repair(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!historyRecords(c, "12", V12_FIRST_CHECKSUM)) return;
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("lock table prompt_spend in access exclusive mode");
                s.execute("alter table prompt_spend add column if not exists shard smallint not null default 0");
                s.execute("alter table prompt_spend alter column shard drop default");
                s.execute("alter table prompt_spend drop constraint prompt_spend_pkey");
                s.execute("alter table prompt_spend add primary key (project, month, shard)");
                s.execute("update flyway_schema_history set checksum = " + V12_CURRENT_CHECKSUM
                        + " where version = '12' and checksum = " + V12_FIRST_CHECKSUM);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            org.slf4j.LoggerFactory.getLogger(EditedMigrations.class)
                    .info("Brought V12 (budgets) in line with its current text: prompt_spend gained its shard column");
        } catch (SQLException e) {
            throw new IllegalStateException("could not bring the edited migration V12 in line: " + e.getMessage(), e);
        }
    }

    private static boolean historyRecords(Connection c, String version, int checksum) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet tables = s.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
            tables.next();
            if (!tables.getBoolean(1)) return false;
        }
        try (var q = c.prepareStatement("select 1 from flyway_schema_history where version = ? and checksum = ?")) {
            q.setString(1, version);
            q.setInt(2, checksum);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        }
    }
}
