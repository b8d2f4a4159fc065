package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.FakeAnthropicServer;
import io.aichatbot.testing.FakeGeminiServer;
import io.aichatbot.testing.FakeOpenAiServer;
import io.aichatbot.testing.TestServer;
import io.aichatbot.testing.TestServer.SseEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same chat against fake OpenAI, Anthropic and Gemini providers, streamed and not, and a fallback across vendors. */
class ProvidersApiTest {

    @TempDir
    Path dir;
    FakeOpenAiServer openai;
    FakeAnthropicServer anthropic;
    FakeGeminiServer gemini;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        openai = new FakeOpenAiServer().behave(FakeOpenAiServer.Behavior.answering("from", " openai"));
        anthropic = new FakeAnthropicServer().behave(FakeAnthropicServer.Behavior.answering("from", " claude"));
        gemini = new FakeGeminiServer().behave(FakeGeminiServer.Behavior.answering("from", " gemini"));
        server = TestServer.start(dir, Map.ofEntries(
                Map.entry("models", "gpt,claude,flash,resilient"),
                Map.entry("model.gpt.base-url", openai.baseUrl()),
                Map.entry("model.gpt.api-key-env", "OPENAI_KEY"),
                Map.entry("model.claude.provider", "anthropic"),
                Map.entry("model.claude.base-url", anthropic.baseUrl()),
                Map.entry("model.claude.upstream-model", "claude-test"),
                Map.entry("model.claude.api-key-env", "ANTHROPIC_KEY"),
                Map.entry("model.flash.provider", "gemini"),
                Map.entry("model.flash.base-url", gemini.baseUrl()),
                Map.entry("model.flash.upstream-model", "gemini-test"),
                Map.entry("model.flash.api-key-env", "GEMINI_KEY"),
                Map.entry("model.resilient.route", "gpt;claude"),
                Map.entry("routing.backoff-base", "1ms")),
                Map.of("OPENAI_KEY", "sk-o", "ANTHROPIC_KEY", "sk-ant-a", "GEMINI_KEY", "AIzaTestKey"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        openai.close();
        anthropic.close();
        gemini.close();
    }

    String streamedText(String model) {
        String id = server.post("/api/conversations", "{\"model\":\"" + model + "\"}").body().get("id").asText();
        List<SseEvent> events = server.stream(id, "{\"content\":\"hello\"}");
        assertThat(events.getLast().event()).as(model + " " + events.getLast().data()).isEqualTo("done");
        return events.stream().filter(e -> e.event().equals("delta")).map(e -> e.data().get("text").asText())
                .collect(Collectors.joining());
    }

    String jsonText(String model) {
        String id = server.post("/api/conversations", "{\"model\":\"" + model + "\"}").body().get("id").asText();
        var response = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"hello\"}");
        assertThat(response.status()).as(model + " " + response.body()).isEqualTo(201);
        return response.body().at("/reply/content").asText();
    }

    @Test
    void everyProviderAnswersStreamedAndNot() {
        assertThat(streamedText("gpt")).isEqualTo("from openai");
        assertThat(jsonText("gpt")).isEqualTo("from openai");
        assertThat(streamedText("claude")).isEqualTo("from claude");
        assertThat(jsonText("claude")).isEqualTo("from claude");
        assertThat(streamedText("flash")).isEqualTo("from gemini");
        assertThat(jsonText("flash")).isEqualTo("from gemini");
        assertThat(anthropic.requests.getLast().body().get("model").asText()).isEqualTo("claude-test");
        assertThat(gemini.requests.getLast().path()).contains("gemini-test");
    }

    @Test
    void aRouteFallsBackToAnotherVendorBeforeTheFirstByte() {
        openai.behave(FakeOpenAiServer.Behavior.error(503, "server_error", "overloaded"));

        assertThat(streamedText("resilient")).isEqualTo("from claude");
        assertThat(jsonText("resilient")).isEqualTo("from claude");
    }

    @Test
    void theModelListShowsEveryConfiguredModel() {
        var names = server.get("/api/models").body().get("models").findValuesAsText("name");
        assertThat(names).contains("demo", "gpt", "claude", "flash", "resilient");
    }
}
