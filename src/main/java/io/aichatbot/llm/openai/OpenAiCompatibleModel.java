package io.aichatbot.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
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
        byte[] body;
        try {
            body = OpenAiMapper.JSON.writeValueAsBytes(OpenAiMapper.toOpenAiRequest(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request not serializable", e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeouts().total()) // a backstop: next() enforces the finer limits
                .header("Content-Type", "application/json")
                .header("Accept", request.stream() ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
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
