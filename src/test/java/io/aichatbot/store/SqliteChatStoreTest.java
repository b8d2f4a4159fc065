package io.aichatbot.store;

import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteChatStoreTest extends ChatStoreContract {

    @TempDir
    Path dir;

    @Override
    DatabaseSettings settings() {
        return TestDatabases.sqlite(dir);
    }
}
