package io.aichatbot.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.Timeouts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.Executors;

/**
 * OpenAI Chat Completions, streamed or not, for OpenAI and every server that speaks its format
 * (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, Groq...). One instance per deployment,
 * sharing one pooled {@link HttpClient}; thread-safe.
 */
public final class OpenAiCompatibleModel implements ChatModel {

    static {
        // A pooled keep-alive connection the provider has just closed fails a POST before any
        // response byte; the JDK only retries that for idempotent methods unless told to. The
        // request never reached the provider in that case, so one retry cannot double-charge.
        if (System.getProperty("jdk.httpclient.enableAllMethodRetry") == null) {
            System.setProperty("jdk.httpclient.enableAllMethodRetry", "true");
        }
    }

    private final OpenAiSettings settings;
    private final HttpClient http;
    private final URI endpoint;

    public OpenAiCompatibleModel(OpenAiSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    /**
     * HTTP/1.1 on purpose: cancelling a half-read HTTP/1.1 response closes its socket, which is
     * how the provider learns the user stopped; on HTTP/2 a cancelled stream may go unnoticed by
     * a proxy. The pool keeps idle connections for reuse across turns.
     */
    public static HttpClient newHttpClient(Timeouts timeouts) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect())
                // Never follow redirects: a redirect would re-send the key to another host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
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
