package io.aichatbot.jobs;

import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.testing.TestDatabases;

class PostgresJobsTest extends JobsContract {

    private DatabaseSettings settings;

    @Override
    DatabaseSettings settings() {
        settings = TestDatabases.postgres();
        return settings;
    }

    @Override
    void cleanUp() {
        TestDatabases.dropSchema(settings);
    }
}
