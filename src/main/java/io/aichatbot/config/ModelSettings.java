package io.aichatbot.config;

import io.aichatbot.llm.Timeouts;
import java.net.URI;
import java.time.Duration;

/**
 * One model users can pick, by name.
 *
 * @param provider       {@code demo}, {@code openai} (any OpenAI-compatible server), {@code anthropic} or {@code gemini}
 * @param upstreamModel  the id sent to the provider, e.g. {@code gpt-4o-mini} or {@code llama3.1:8b}
 * @param apiKeyEnv      name of the environment variable holding the key (never the key itself)
 * @param demoTokenDelay pause between the demo model's tokens, so streaming is visible
 * @param route          null to serve this model from its own endpoint; else tiers of other model
 *                       names, {@code a,b;c}: a and b share the load, c is the fallback
 * @param weight         this model's share when another model's route balances over it
 * @param maxConcurrency bound on in-flight calls to this model's endpoint
 * @param hidden         true to leave it out of the model list (a deployment only used in routes)
 * @param pricing        US dollars per million input and output tokens; null when not configured
 */
public record ModelSettings(String name, String provider, String upstreamModel, URI baseUrl, String apiKeyEnv,
                            int contextWindow, int maxOutputTokens, Timeouts timeouts, Duration demoTokenDelay,
                            String route, int weight, int maxConcurrency, boolean hidden,
                            io.aichatbot.llm.Pricing pricing) {

    public static final java.util.List<String> PROVIDERS = java.util.List.of("demo", "openai", "anthropic", "gemini");

    public ModelSettings {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")) {
            throw new IllegalArgumentException("model name must be 1-64 letters, digits or . _ : -, was '" + name + "'");
        }
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("model." + name + ".provider must be one of " + PROVIDERS + ", was '" + provider + "'");
        }
        if (!provider.equals("demo") && baseUrl == null && route == null) {
            throw new IllegalArgumentException("model." + name + ".base-url is required for provider " + provider);
        }
        if (weight < 1 || maxConcurrency < 1) {
            throw new IllegalArgumentException("model." + name + ": weight and max-concurrency must be at least 1");
        }
        if (maxOutputTokens < 1 || contextWindow <= maxOutputTokens) {
            throw new IllegalArgumentException("model." + name + ": context-window (" + contextWindow
                    + ") must exceed max-output-tokens (" + maxOutputTokens + ") and both be positive");
        }
    }
}
