package io.aichatbot.web;

import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.testing.TestDatabases;
import java.util.Map;

/** The same HTTP API tests with PostgreSQL behind the server instead of SQLite. */
class PostgresChatApiTest extends ChatApiTest {

    private DatabaseSettings settings;

    @Override
    Map<String, String> database() {
        if (settings == null) {
            settings = TestDatabases.postgres();
        }
        return Map.of("db.url", settings.url(), "db.schema", settings.schema());
    }

    @Override
    void dropDatabase() {
        TestDatabases.dropSchema(settings);
    }
}
