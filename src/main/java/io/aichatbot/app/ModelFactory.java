package io.aichatbot.app;

import io.aichatbot.config.ModelSettings;
import io.aichatbot.config.RoutingSettings;
import io.aichatbot.llm.ProviderHttp;
import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelEntry;
import io.aichatbot.llm.anthropic.AnthropicModel;
import io.aichatbot.llm.anthropic.AnthropicSettings;
import io.aichatbot.llm.demo.DemoModel;
import io.aichatbot.llm.gemini.GeminiModel;
import io.aichatbot.llm.gemini.GeminiSettings;
import io.aichatbot.llm.openai.OpenAiCompatibleModel;
import io.aichatbot.llm.openai.OpenAiSettings;
import io.aichatbot.llm.routing.Deployment;
import io.aichatbot.llm.routing.RetryBudget;
import io.aichatbot.llm.routing.RetryPolicy;
import io.aichatbot.llm.routing.RoutedModel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

/**
 * Builds the model catalog. Every configured model with its own endpoint becomes one
 * deployment (client, breaker, in-flight bound); every model users pick is a RoutedModel over
 * deployments — its own, or the tiers its {@code route} names. Models that share an endpoint
 * share one pooled HTTP client, so connections are reused across models and turns.
 */
final class ModelFactory implements AutoCloseable {

    private final Map<String, String> env;
    private final Map<String, HttpClient> clients = new HashMap<>();

    ModelFactory(Map<String, String> env) {
        this.env = env;
    }

    List<ModelEntry> createAll(List<ModelSettings> models, RoutingSettings routing) {
        var breakers = CircuitBreakerConfig.custom()
                // "Opens after N consecutive failures": a count window of N that is 100% failures.
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(routing.breakerFailures())
                .minimumNumberOfCalls(routing.breakerFailures())
                .failureRateThreshold(100)
                .waitDurationInOpenState(routing.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build();
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        for (ModelSettings model : models) {
            if (model.route() == null) {
                deployments.put(model.name(), new Deployment(model.name(), client(model), model.upstreamModel(),
                        model.weight(), new Semaphore(model.maxConcurrency()), CircuitBreaker.of(model.name(), breakers)));
            }
        }
        var policy = new RetryPolicy(routing.maxAttempts(), routing.backoffBase(), routing.backoffMax(),
                routing.maxRetryAfter(), routing.acquireWait());
        var budget = new RetryBudget(routing.budgetRatio(), 20);
        List<ModelEntry> entries = new ArrayList<>();
        for (ModelSettings model : models) {
            List<List<Deployment>> tiers = new ArrayList<>();
            if (model.route() == null) {
                tiers.add(List.of(deployments.get(model.name())));
            } else {
                for (String tier : model.route().split(";")) {
                    tiers.add(java.util.Arrays.stream(tier.split(",")).map(String::strip).map(deployments::get).toList());
                }
            }
            var routed = new RoutedModel(model.name(), tiers, policy, budget, RandomGenerator.getDefault());
            entries.add(new ModelEntry(model.name(), model.upstreamModel(), routed, model.contextWindow(),
                    model.maxOutputTokens(), !model.hidden(), model.pricing()));
        }
        return entries;
    }

    private ChatModel client(ModelSettings settings) {
        return switch (settings.provider()) {
            case "demo" -> new DemoModel(settings.demoTokenDelay());
            case "openai" -> openAi(settings);
            case "anthropic" -> new AnthropicModel(new AnthropicSettings(settings.name(), settings.baseUrl(), apiKey(settings),
                    settings.timeouts()), sharedClient(settings));
            case "gemini" -> new GeminiModel(new GeminiSettings(settings.name(), settings.baseUrl(), apiKey(settings),
                    settings.timeouts()), sharedClient(settings));
            default -> throw new IllegalArgumentException("unknown provider " + settings.provider());
        };
    }

    private ChatModel openAi(ModelSettings settings) {
        return new OpenAiCompatibleModel(new OpenAiSettings(settings.name(), settings.baseUrl(), apiKey(settings),
                settings.timeouts()), sharedClient(settings));
    }

    /** One pooled client per endpoint; the connect timeout is a client setting, so the first model's wins. */
    private HttpClient sharedClient(ModelSettings settings) {
        return clients.computeIfAbsent(settings.provider() + " " + settings.baseUrl(),
                key -> ProviderHttp.newClient(settings.timeouts(), settings.baseUrl()));
    }

    String apiKey(ModelSettings settings) {
        if (settings.apiKeyEnv() == null) {
            return null; // local servers (Ollama, llama.cpp) usually need none
        }
        String key = env.get(settings.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("model " + settings.name() + " reads its API key from $"
                    + settings.apiKeyEnv() + ", which is set neither in the environment nor in secrets.file");
        }
        return key.strip();
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
    }
}
