package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.support.TestDatabase;

/** Migrations are append-only: a committed one never changes, and the one edited before that rule is repaired. */
class MigrationsTest {
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path PINNED = Path.of("src/test/resources/db/migration-checksums.txt");

    @Test
    void everyCommittedMigrationKeepsItsChecksum() throws Exception {
        Map<String, String> pinned = new TreeMap<>();
        for (String line : Files.readAllLines(PINNED)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] parts = line.trim().split("\\s+");
            pinned.put(parts[0], parts[1]);
        }
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) actual.put(f.getFileName().toString(), sha256(f));
        }
        assertThat(actual.keySet()).as("migrations that are new must be pinned in " + PINNED + " (never renamed or removed)")
                .containsExactlyInAnyOrderElementsOf(pinned.keySet());
        actual.forEach((name, sum) -> assertThat(sum)
                .as(name + " changed after it was committed: add a new migration instead of editing it").isEqualTo(pinned.get(name)));
    }

    @Test
    void aDatabaseThatRanTheFirstTextOfV12StartsAndGetsTheCurrentSchema(@TempDir Path dir) throws Exception {
        // Migrations 1-11 as committed, then V12 as it first was.
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) {
                if (version(f) <= 11) Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.copy(Path.of("src/test/resources/db/edited/V12__budgets.first.sql"), dir.resolve("V12__budgets.sql"));
        var url = TestDatabase.get().newDatabase();
        try (Database db = Database.open(url, 2)) {
            Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + dir).load().migrate();
            Jdbi jdbi = db.jdbi();
            jdbi.useHandle(h -> h.execute("insert into prompt_spend (project, month, cost, logs) values ('A', date '2026-11-01', 1.5, 3)"));
            assertThat(checksum(jdbi)).isEqualTo(EditedMigrations.V12_FIRST_CHECKSUM);

            db.migrate(); // the build's own migrations: Flyway would refuse V12's checksum without the repair

            assertThat(checksum(jdbi)).isEqualTo(EditedMigrations.V12_CURRENT_CHECKSUM);
            assertThat(primaryKey(jdbi)).isEqualTo(List.of("project", "month", "shard"));
            List<String> rows = jdbi.withHandle(h -> h.createQuery("select shard || ':' || cost || ':' || logs from prompt_spend")
                    .mapTo(String.class).list());
            assertThat(rows).containsExactly("0:1.5:3");
            assertThat(db.ready()).isTrue();
        }
    }

    @Test
    void auditRowsWrittenUnderTheOldNamesTakeTheirEventsNames() {
        var url = TestDatabase.get().newDatabase();
        try (Database db = Database.open(url, 2)) {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target("18").load().migrate();
            db.jdbi().useHandle(h -> {
                for (String action : List.of("token.create", "user.password", "asset.delete", "prompt.archive",
                        "session.login", "blob.deleted")) {
                    h.execute("insert into audit_event (actor_type, action, target_type) values ('cli', ?, 'x')", action);
                }
            });

            db.migrate();

            List<String> actions = db.jdbi().withHandle(h -> h.createQuery("select action from audit_event order by id")
                    .mapTo(String.class).list());
            assertThat(actions).containsExactly("token.created", "user.password_changed", "asset.deleted", "prompt.archived",
                            "session.login", "blob.deleted");
        }
    }

    @Test
    void theCurrentV12ChecksumIsFlywaysOwn() {
        var url = TestDatabase.get().newDatabase();
        try (Database db = Database.open(url, 2)) {
            db.migrate();
            assertThat(checksum(db.jdbi())).isEqualTo(EditedMigrations.V12_CURRENT_CHECKSUM);
            assertThat(primaryKey(db.jdbi())).isEqualTo(List.of("project", "month", "shard"));
        }
    }

    private static int checksum(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select checksum from flyway_schema_history where version = '12'")
                .mapTo(Integer.class).one());
    }

    private static List<String> primaryKey(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("""
                select a.attname from pg_index i
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                 where i.indrelid = 'prompt_spend'::regclass and i.indisprimary
                 order by array_position(i.indkey, a.attnum)""").mapTo(String.class).list());
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
