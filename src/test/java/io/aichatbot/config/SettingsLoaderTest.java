package io.aichatbot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

    @Test
    void defaultsGiveALoopbackServerOnSqliteWithTheDemoModel() {
        Settings settings = SettingsLoader.of(Map.of()).settings();

        assertThat(settings.server().host()).isEqualTo("127.0.0.1");
        assertThat(settings.server().port()).isEqualTo(8080);
        assertThat(settings.database().url()).startsWith("jdbc:sqlite:").endsWith("aichatbot.db");
        assertThat(settings.defaultModel()).isEqualTo("demo");
        assertThat(settings.auth().mode()).isEqualTo(AuthSettings.Mode.LOCAL);
    }

    @Test
    void environmentVariablesOverrideTheFileAndOverridesBeatBoth() {
        var file = new Properties();
        file.setProperty("server.port", "9000");
        file.setProperty("chat.max-message-bytes", "5000");
        var env = Map.of("AICHATBOT_SERVER_PORT", "9100", "AICHATBOT_CHAT_MAX_MESSAGE_BYTES", "6000");

        Settings settings = new SettingsLoader(Map.of("server.port", "9200"), env, file).settings();

        assertThat(settings.server().port()).isEqualTo(9200);
        assertThat(settings.chat().maxMessageBytes()).isEqualTo(6000);
    }

    @Test
    void anOpenAiCompatibleModelIsConfiguredByNameAndBecomesTheDefault() {
        Settings settings = SettingsLoader.of(Map.of(
                "models", "llama",
                "model.llama.base-url", "http://127.0.0.1:11434/v1/",
                "model.llama.upstream-model", "llama3.1:8b",
                "model.llama.context-window", "8192",
                "model.llama.first-token-timeout", "90s")).settings();

        ModelSettings llama = settings.models().get(1);
        assertThat(settings.defaultModel()).isEqualTo("llama");
        assertThat(llama.provider()).isEqualTo("openai");
        assertThat(llama.baseUrl()).hasToString("http://127.0.0.1:11434/v1");
        assertThat(llama.upstreamModel()).isEqualTo("llama3.1:8b");
        assertThat(llama.timeouts().firstToken()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void contradictionsAreRefusedWithAMessageNamingTheSetting() {
        assertThatThrownBy(() -> SettingsLoader.of(Map.of("auth.mode", "local", "server.host", "0.0.0.0")).settings())
                .hasMessageContaining("auth.mode=local");
        assertThatThrownBy(() -> SettingsLoader.of(Map.of("models", "x")).settings())
                .hasMessageContaining("model.x.base-url");
        assertThatThrownBy(() -> SettingsLoader.of(Map.of("server.port", "eighty")).settings())
                .hasMessageContaining("server.port");
        assertThatThrownBy(() -> SettingsLoader.of(Map.of("default-model", "nope")).settings())
                .hasMessageContaining("default-model");
    }

    @Test
    void outOfRangeValuesAreClampedNotFatal() {
        Settings settings = SettingsLoader.of(Map.of("db.pool-size", "100000")).settings();
        assertThat(settings.database().poolSize()).isEqualTo(200);
    }
}
