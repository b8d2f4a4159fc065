package io.aichatbot.llm.gemini;

import io.aichatbot.llm.Timeouts;
import java.net.URI;
import java.util.Objects;

/**
 * One Google Gemini API deployment.
 *
 * @param baseUrl e.g. {@code https://generativelanguage.googleapis.com}; a trailing {@code /v1beta}
 *                or {@code /v1} is kept as the API version, otherwise v1beta is used
 * @param apiKey  sent only as {@code x-goog-api-key}, never in the URL; may be null only for a
 *                keyless proxy; never printed (see {@link #toString})
 */
public record GeminiSettings(String name, URI baseUrl, String apiKey, Timeouts timeouts) {

    public GeminiSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeouts, "timeouts");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("model " + name + ": base URL must be http(s), was " + baseUrl);
        }
        // URLs end up in logs; a "?key=" pasted from Google's curl examples would leak the key there.
        if (baseUrl.getRawQuery() != null) {
            throw new IllegalArgumentException("model " + name + ": the Gemini base URL must have no query; "
                    + "the key is read from api-key-env and sent in a header");
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("model " + name + ": the Gemini API key is blank");
        }
        if (apiKey == null && "generativelanguage.googleapis.com".equalsIgnoreCase(baseUrl.getHost())) {
            throw new IllegalArgumentException("model " + name + " calls generativelanguage.googleapis.com, which needs an "
                    + "API key: set its api-key-env");
        }
    }

    @Override
    public String toString() {
        return "GeminiSettings[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", timeouts=" + timeouts + "]";
    }
}
