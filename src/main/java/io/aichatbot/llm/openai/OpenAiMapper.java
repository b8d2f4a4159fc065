package io.aichatbot.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.llm.ProviderHttp;
import java.net.http.HttpHeaders;
import java.util.regex.Pattern;

/** Pure mappings between our model API and the Chat Completions wire format. */
final class OpenAiMapper {

    static final ObjectMapper JSON = ProviderHttp.newMapper();
    /** OpenAI's own 401 message echoes a masked key ("sk-abc***xyz"); nothing key-like may pass. */
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key|acb)[-_][A-Za-z0-9*_\\-]{4,}");

    private OpenAiMapper() {}

    /**
     * {@code max_tokens}, not {@code max_completion_tokens}: OpenAI accepts both for chat models,
     * while Ollama, vLLM and llama.cpp only know the older name.
     */
    static OpenAiWire.ChatRequest toOpenAiRequest(ModelRequest request) {
        var messages = request.messages().stream()
                .map(m -> new OpenAiWire.WireMessage(toOpenAiRole(m.role()), m.content())).toList();
        return new OpenAiWire.ChatRequest(request.upstreamModel(), messages, request.maxOutputTokens(), request.stream(),
                request.stream() ? new OpenAiWire.StreamOptions(true) : null);
    }

    static String toOpenAiRole(PromptMessage.Role role) {
        return switch (role) {
            case SYSTEM -> "system";
            case USER -> "user";
            case ASSISTANT -> "assistant";
        };
    }

    /** An error object inside a 200 stream: overloads are worth retrying, anything else is not. */
    static ModelFailure toFailure(OpenAiWire.ErrorBody error, String apiKey) {
        String type = error.type() == null ? "" : error.type();
        ModelFailure.Kind kind = type.contains("invalid_request") ? ModelFailure.Kind.BAD_REQUEST
                : type.contains("rate_limit") ? ModelFailure.Kind.RATE_LIMITED
                : type.contains("auth") ? ModelFailure.Kind.AUTH
                : ModelFailure.Kind.SERVER_ERROR;
        return new ModelFailure(kind, 0, redact(error.message(), apiKey), null);
    }

    /** A non-2xx response. Compatible servers differ in error shape; take the message from any of them. */
    static ModelFailure toFailure(int status, String body, HttpHeaders headers, String apiKey) {
        String message = null;
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root.path("error");
            message = error.isTextual() ? error.asText()
                    : error.path("message").isTextual() ? error.path("message").asText()
                    : root.path("message").isTextual() ? root.path("message").asText()
                    : root.path("detail").isTextual() ? root.path("detail").asText() : null;
        } catch (Exception notJson) {
            // some proxies answer errors in HTML or plain text
        }
        if (message == null) {
            String text = body.strip();
            message = text.isEmpty() ? "HTTP " + status : text.length() > 300 ? text.substring(0, 300) + "…" : text;
        }
        String requestId = headers.firstValue("x-request-id").orElse(null);
        return new ModelFailure(ModelFailure.kindForStatus(status), status, redact(message, apiKey), requestId,
                ModelFailure.parseRetryAfter(headers.firstValue("retry-after").orElse(null)));
    }

    static String redact(String message, String apiKey) {
        if (message == null) {
            return null;
        }
        String clean = apiKey == null || apiKey.isEmpty() ? message : message.replace(apiKey, "[redacted]");
        return KEY_LIKE.matcher(clean).replaceAll("[redacted]");
    }
}
