package io.aichatbot.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.Eventually;
import io.aichatbot.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @TempDir
    Path dir;

    @Test
    void flywaysClassLoaderIsDroppedAfterTheMigrations() {
        try (Database database = Database.open(TestDatabases.sqlite(dir))) {
            // The schema is there: the migrations ran through the throwaway loader.
            assertThat(historyRows(database)).isGreaterThanOrEqualTo(4);
            // Nothing of ours holds on to it, so its classes can be unloaded.
            Eventually.within(Duration.ofSeconds(10), () -> {
                System.gc();
                return Migrations.lastLoader.get() == null;
            }, "the migrations' class loader to be collected");
        }
    }

    @Test
    void aSecondOpenAppliesNothing() {
        int first;
        try (Database database = Database.open(TestDatabases.sqlite(dir))) {
            first = historyRows(database);
        }
        try (Database database = Database.open(TestDatabases.sqlite(dir))) {
            assertThat(historyRows(database)).isEqualTo(first);
        }
    }

    private static int historyRows(Database database) {
        return database.read(connection -> {
            try (var row = connection.createStatement().executeQuery("SELECT COUNT(*) FROM flyway_schema_history")) {
                row.next();
                return row.getInt(1);
            }
        });
    }
}
