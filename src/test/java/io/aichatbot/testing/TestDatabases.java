package io.aichatbot.testing;

import io.aichatbot.config.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for tests: a SQLite file in a temp dir, or a fresh schema on the PostgreSQL
 * server at 127.0.0.1:5432. Without PostgreSQL the tests are skipped with a message, unless
 * {@code aichatbot.requirePostgres=true} (set by .ci/run), where a skip would hide a failure.
 */
public final class TestDatabases {

    public static final String POSTGRES_URL = System.getProperty("aichatbot.postgresUrl",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");

    private TestDatabases() {}

    public static DatabaseSettings sqlite(Path dir) {
        return new DatabaseSettings("jdbc:sqlite:" + dir.resolve("test.db"), null, null, null, 4);
    }

    /** A new, empty schema; drop it with {@link #dropSchema}. */
    public static DatabaseSettings postgres() {
        requirePostgres();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new DatabaseSettings(POSTGRES_URL, null, null, schema, 8);
    }

    public static void dropSchema(DatabaseSettings settings) {
        if (settings.schema() == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + settings.schema() + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + settings.schema(), e);
        }
    }

    public static void requirePostgres() {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL)) {
            connection.isValid(2);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + POSTGRES_URL + " (" + e.getMessage() + ")";
            if (Boolean.parseBoolean(System.getProperty("aichatbot.requirePostgres"))) {
                Assertions.fail(message + "; aichatbot.requirePostgres=true makes this a failure");
            }
            Assumptions.abort(message + "; skipping PostgreSQL tests");
        }
    }
}
