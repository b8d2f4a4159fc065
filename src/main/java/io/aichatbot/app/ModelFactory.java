package io.aichatbot.app;

import io.aichatbot.config.ModelSettings;
import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelEntry;
import io.aichatbot.llm.demo.DemoModel;
import io.aichatbot.llm.openai.OpenAiCompatibleModel;
import io.aichatbot.llm.openai.OpenAiSettings;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds one client per configured model. Models that share a provider endpoint share one
 * pooled HTTP client, so connections are reused across models and turns.
 */
final class ModelFactory implements AutoCloseable {

    private final Map<String, String> env;
    private final Map<String, HttpClient> clients = new HashMap<>();

    ModelFactory(Map<String, String> env) {
        this.env = env;
    }

    ModelEntry create(ModelSettings settings) {
        ChatModel client = switch (settings.provider()) {
            case "demo" -> new DemoModel(settings.demoTokenDelay());
            case "openai" -> openAi(settings);
            default -> throw new IllegalArgumentException("unknown provider " + settings.provider());
        };
        return new ModelEntry(settings.name(), settings.upstreamModel(), client, settings.contextWindow(),
                settings.maxOutputTokens());
    }

    private ChatModel openAi(ModelSettings settings) {
        // Connect timeout is a client setting: models on one endpoint share the first one's.
        HttpClient client = clients.computeIfAbsent(settings.baseUrl().toString(),
                url -> OpenAiCompatibleModel.newHttpClient(settings.timeouts()));
        return new OpenAiCompatibleModel(new OpenAiSettings(settings.name(), settings.baseUrl(), apiKey(settings),
                settings.timeouts()), client);
    }

    String apiKey(ModelSettings settings) {
        if (settings.apiKeyEnv() == null) {
            return null; // local servers (Ollama, llama.cpp) usually need none
        }
        String key = env.get(settings.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("model " + settings.name() + " reads its API key from $"
                    + settings.apiKeyEnv() + ", which is not set");
        }
        return key.strip();
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
    }
}
