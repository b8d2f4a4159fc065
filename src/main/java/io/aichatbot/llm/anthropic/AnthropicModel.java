package io.aichatbot.llm.anthropic;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.ProviderHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}), streamed or not. One instance per
 * deployment, sharing one pooled {@link HttpClient}; thread-safe.
 */
public final class AnthropicModel implements ChatModel {

    /** The API version this client's wire records follow; Anthropic requires the header on every call. */
    static final String API_VERSION = "2023-06-01";

    private final AnthropicSettings settings;
    private final HttpClient http;
    private final URI endpoint;

    public AnthropicModel(AnthropicSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
        String base = settings.baseUrl().toString();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        // Tolerate a base URL copied with its version ("https://api.anthropic.com/v1").
        this.endpoint = URI.create(base + (base.endsWith("/v1") ? "" : "/v1") + "/messages");
    }

    @Override
    public String provider() {
        return "anthropic";
    }

    @Override
    public ModelStream open(ModelRequest request) {
        HttpRequest.Builder builder = ProviderHttp.jsonPost(endpoint, AnthropicMapper.JSON, AnthropicMapper.toAnthropicRequest(request),
                request.stream())
                .header("anthropic-version", API_VERSION);
        String key = settings.apiKey();
        if (key != null) {
            builder.header("x-api-key", key);
        }
        HttpModelStream.Decoder decoder = request.stream() ? new AnthropicDecoders.Streaming(key) : new AnthropicDecoders.Whole(key);
        return HttpModelStream.open(http, builder.build(), decoder,
                (status, errorBody, headers) -> AnthropicMapper.toFailure(status, errorBody, headers, key),
                settings.timeouts(), request.stream());
    }

    @Override
    public String toString() {
        return "AnthropicModel[" + settings + "]";
    }
}
