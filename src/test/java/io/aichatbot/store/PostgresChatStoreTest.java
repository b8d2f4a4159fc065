package io.aichatbot.store;

import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.testing.TestDatabases;

class PostgresChatStoreTest extends ChatStoreContract {

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
