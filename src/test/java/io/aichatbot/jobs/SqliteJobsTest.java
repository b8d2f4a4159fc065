package io.aichatbot.jobs;

import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.testing.TestDatabases;

class SqliteJobsTest extends JobsContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.sqlite(dir);
    }
}
