package io.aichatbot.llm.openai;

import io.aichatbot.llm.Timeouts;
import java.net.URI;
import java.util.Objects;

/**
 * One OpenAI-compatible deployment.
 *
 * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}
 * @param apiKey  null for servers that need none; never printed (see {@link #toString})
 */
public record OpenAiSettings(String name, URI baseUrl, String apiKey, Timeouts timeouts) {

    public OpenAiSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    @Override
    public String toString() {
        return "OpenAiSettings[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", timeouts=" + timeouts + "]";
    }
}
