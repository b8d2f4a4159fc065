package io.aichatbot.llm.anthropic;

import io.aichatbot.llm.Timeouts;
import java.net.URI;
import java.util.Objects;

/**
 * One Anthropic Messages API deployment.
 *
 * @param baseUrl e.g. {@code https://api.anthropic.com}; a trailing {@code /v1} is tolerated
 * @param apiKey  sent as {@code x-api-key}; may be null only for a self-hosted server that speaks
 *                the same protocol without keys; never printed (see {@link #toString})
 */
public record AnthropicSettings(String name, URI baseUrl, String apiKey, Timeouts timeouts) {

    public AnthropicSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeouts, "timeouts");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("model " + name + ": base URL must be http(s), was " + baseUrl);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("model " + name + ": the Anthropic API key is blank");
        }
        // Anthropic's own endpoint answers every keyless call with 401: say so at start instead.
        if (apiKey == null && "api.anthropic.com".equalsIgnoreCase(baseUrl.getHost())) {
            throw new IllegalArgumentException("model " + name + " calls api.anthropic.com, which needs an API key: "
                    + "set its api-key-env");
        }
    }

    @Override
    public String toString() {
        return "AnthropicSettings[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", timeouts=" + timeouts + "]";
    }
}
