package io.aichatbot.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.llm.ProviderHttp;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Pure mappings between our model API and the Anthropic Messages wire format. */
final class AnthropicMapper {

    static final ObjectMapper JSON = ProviderHttp.newMapper();
    /** Anthropic keys are {@code sk-ant-...}; masked echoes ({@code sk-ant-***xyz}) are redacted too. */
    private static final Pattern KEY_LIKE = Pattern.compile("\\bsk-[A-Za-z0-9*_\\-]{4,}");

    private AnthropicMapper() {}

    /**
     * The Messages API has no system role: every SYSTEM message goes into the top-level
     * {@code system} field, joined with blank lines in prompt order, and the field is left out
     * when there is none. The remaining turns go through {@link #toAnthropicMessages}.
     */
    static AnthropicWire.MessagesRequest toAnthropicRequest(ModelRequest request) {
        String system = request.messages().stream()
                .filter(m -> m.role() == PromptMessage.Role.SYSTEM && !m.content().isBlank())
                .map(PromptMessage::content)
                .collect(Collectors.joining("\n\n"));
        return new AnthropicWire.MessagesRequest(request.upstreamModel(), request.maxOutputTokens(),
                system.isEmpty() ? null : system, toAnthropicMessages(request.messages()), request.stream());
    }

    /**
     * The API rejects a conversation that does not start with a user turn or whose roles do not
     * alternate, and rejects blank text. So: blank messages are skipped (they carry nothing),
     * assistant messages before the first user message are dropped (a greeting the UI showed, or
     * a history cut to the context budget), and consecutive same-role messages are merged with a
     * blank line between them. A final assistant message is kept: the API treats it as the start
     * of the answer (prefill).
     */
    static List<AnthropicWire.WireMessage> toAnthropicMessages(List<PromptMessage> messages) {
        List<AnthropicWire.WireMessage> turns = new ArrayList<>();
        for (PromptMessage message : messages) {
            if (message.role() == PromptMessage.Role.SYSTEM || message.content().isBlank()) {
                continue;
            }
            String role = message.role() == PromptMessage.Role.USER ? "user" : "assistant";
            if (turns.isEmpty() && role.equals("assistant")) {
                continue;
            }
            if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
                turns.set(turns.size() - 1, new AnthropicWire.WireMessage(role, turns.getLast().content() + "\n\n" + message.content()));
            } else {
                turns.add(new AnthropicWire.WireMessage(role, message.content()));
            }
        }
        return turns;
    }

    /** A non-2xx response: {@code {"type":"error","error":{"type","message"},"request_id"}}. */
    static ModelFailure toFailure(int status, String body, HttpHeaders headers, String apiKey) {
        String message = null;
        String bodyRequestId = null;
        try {
            JsonNode root = JSON.readTree(body);
            message = root.path("error").path("message").isTextual() ? root.path("error").path("message").asText() : null;
            bodyRequestId = root.path("request_id").isTextual() ? root.path("request_id").asText() : null;
        } catch (Exception notJson) {
            // a proxy or load balancer in front of the API may answer in HTML or plain text
        }
        if (message == null) {
            String text = body.strip();
            message = text.isEmpty() ? "HTTP " + status : text.length() > 300 ? text.substring(0, 300) + "…" : text;
        }
        String requestId = headers.firstValue("request-id").orElse(bodyRequestId);
        return new ModelFailure(toKind(status), status, redact(message, apiKey), requestId,
                ModelFailure.parseRetryAfter(headers.firstValue("retry-after").orElse(null)));
    }

    /** 504 is Anthropic's timeout_error: the shared table would call it a server error. */
    /**
     * Anthropic's {@code stop_reason} in the vocabulary every provider's replies are stored with
     * (OpenAI's): a reply cut at the token limit is {@code length} whoever served it.
     */
    static String toFinishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "refusal" -> "content_filter";
            case "tool_use" -> "tool_calls";
            default -> stopReason.toLowerCase(java.util.Locale.ROOT);
        };
    }

    static ModelFailure.Kind toKind(int status) {
        return status == 504 ? ModelFailure.Kind.TIMEOUT : ModelFailure.kindForStatus(status);
    }

    /**
     * An {@code event: error} inside a 200 stream. Its type is mapped through the status the
     * errors reference pairs it with, so a streamed overloaded_error is treated exactly like a
     * 529; an unknown type counts as a bad request (not retried).
     */
    static ModelFailure toFailure(AnthropicWire.ErrorBody error, String apiKey) {
        String type = error.type() == null ? "" : error.type();
        int status = switch (type) {
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "api_error" -> 500;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 400; // invalid_request_error and anything new
        };
        String message = error.message() == null ? type : error.message();
        return new ModelFailure(toKind(status), 0, redact(message, apiKey), null);
    }

    static String redact(String message, String apiKey) {
        if (message == null) {
            return null;
        }
        String clean = apiKey == null || apiKey.isEmpty() ? message : message.replace(apiKey, "[redacted]");
        return KEY_LIKE.matcher(clean).replaceAll("[redacted]");
    }
}
