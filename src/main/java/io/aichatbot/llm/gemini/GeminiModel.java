package io.aichatbot.llm.gemini;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.ProviderHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * The Google Gemini API ({@code models/*:generateContent} and {@code :streamGenerateContent?alt=sse}).
 * One instance per deployment, sharing one pooled {@link HttpClient}; thread-safe.
 */
public final class GeminiModel implements ChatModel {

    private final GeminiSettings settings;
    private final HttpClient http;
    /** The base URL with its API version, e.g. {@code https://generativelanguage.googleapis.com/v1beta}. */
    private final String versionedBase;

    public GeminiModel(GeminiSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
        String base = settings.baseUrl().toString();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.versionedBase = base.endsWith("/v1beta") || base.endsWith("/v1") ? base : base + "/v1beta";
    }

    @Override
    public String provider() {
        return "gemini";
    }

    /** The key travels only in {@code x-goog-api-key}: URLs are logged by proxies and by us, headers are not. */
    @Override
    public ModelStream open(ModelRequest request) {
        URI endpoint = URI.create(versionedBase + "/" + GeminiMapper.toModelPath(request.upstreamModel())
                + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent"));
        HttpRequest.Builder builder = ProviderHttp.jsonPost(endpoint, GeminiMapper.JSON, GeminiMapper.toGeminiRequest(request),
                request.stream());
        String key = settings.apiKey();
        if (key != null) {
            builder.header("x-goog-api-key", key);
        }
        HttpModelStream.Decoder decoder = request.stream() ? new GeminiDecoders.Streaming(key) : new GeminiDecoders.Whole(key);
        return HttpModelStream.open(http, builder.build(), decoder,
                (status, errorBody, headers) -> GeminiMapper.toFailure(status, errorBody, headers, key),
                settings.timeouts(), request.stream());
    }

    @Override
    public String toString() {
        return "GeminiModel[" + settings + "]";
    }
}
