package io.aichatbot.llm.openai;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.ProviderHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * OpenAI Chat Completions, streamed or not, for OpenAI and every server that speaks its format
 * (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, Groq...). One instance per deployment,
 * sharing one pooled {@link HttpClient}; thread-safe.
 */
public final class OpenAiCompatibleModel implements ChatModel {


    private final OpenAiSettings settings;
    private final HttpClient http;
    private final URI endpoint;

    public OpenAiCompatibleModel(OpenAiSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public ModelStream open(ModelRequest request) {
        HttpRequest.Builder builder = ProviderHttp.jsonPost(endpoint, OpenAiMapper.JSON, OpenAiMapper.toOpenAiRequest(request),
                request.stream());
        if (settings.apiKey() != null) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        String key = settings.apiKey();
        HttpModelStream.Decoder decoder = request.stream() ? new OpenAiDecoders.Streaming(key) : new OpenAiDecoders.Whole(key);
        return HttpModelStream.open(http, builder.build(), decoder,
                (status, errorBody, headers) -> OpenAiMapper.toFailure(status, errorBody, headers, key),
                settings.timeouts(), request.stream());
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleModel[" + settings + "]";
    }
}
