package io.aichatbot.config;

import io.aichatbot.llm.Timeouts;
import java.net.URI;
import java.time.Duration;

/**
 * One model users can pick, by name.
 *
 * @param provider       {@code demo} or {@code openai} (any OpenAI-compatible server)
 * @param upstreamModel  the id sent to the provider, e.g. {@code gpt-4o-mini} or {@code llama3.1:8b}
 * @param apiKeyEnv      name of the environment variable holding the key (never the key itself)
 * @param demoTokenDelay pause between the demo model's tokens, so streaming is visible
 */
public record ModelSettings(String name, String provider, String upstreamModel, URI baseUrl, String apiKeyEnv,
                            int contextWindow, int maxOutputTokens, Timeouts timeouts, Duration demoTokenDelay) {

    public ModelSettings {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")) {
            throw new IllegalArgumentException("model name must be 1-64 letters, digits or . _ : -, was '" + name + "'");
        }
        if (!provider.equals("demo") && !provider.equals("openai")) {
            throw new IllegalArgumentException("model." + name + ".provider must be demo or openai, was '" + provider + "'");
        }
        if (provider.equals("openai") && baseUrl == null) {
            throw new IllegalArgumentException("model." + name + ".base-url is required for provider openai");
        }
        if (maxOutputTokens < 1 || contextWindow <= maxOutputTokens) {
            throw new IllegalArgumentException("model." + name + ": context-window (" + contextWindow
                    + ") must exceed max-output-tokens (" + maxOutputTokens + ") and both be positive");
        }
    }
}
