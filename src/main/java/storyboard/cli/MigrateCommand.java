package storyboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import storyboard.server.Database;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the database migrations, then exit.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        String version = database.withDatabase(Database::schemaVersion);
        System.out.println("Database migrated; schema at version " + version + ".");
        return 0;
    }
}
