package io.aichatbot.llm.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.llm.ProviderHttp;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Pure mappings between our model API and the Gemini generateContent wire format. */
final class GeminiMapper {

    static final ObjectMapper JSON = ProviderHttp.newMapper();
    /** Google API keys are "AIza" and 35 more characters; shorter runs are still redacted. */
    private static final Pattern KEY_LIKE = Pattern.compile("AIza[0-9A-Za-z_\\-]{8,}");
    /** Google's bad-key messages can quote the request URL, key parameter included. */
    private static final Pattern KEY_PARAMETER = Pattern.compile("([?&](?:key|api_key)=)[^&\\s\"'<>]+");

    private GeminiMapper() {}

    /** SYSTEM messages become {@code systemInstruction}, joined with blank lines; left out when there is none. */
    static GeminiWire.GenerateRequest toGeminiRequest(ModelRequest request) {
        String system = request.messages().stream()
                .filter(m -> m.role() == PromptMessage.Role.SYSTEM && !m.content().isBlank())
                .map(PromptMessage::content)
                .collect(Collectors.joining("\n\n"));
        return new GeminiWire.GenerateRequest(toGeminiContents(request.messages()),
                system.isEmpty() ? null : text(null, system),
                new GeminiWire.GenerationConfig(request.maxOutputTokens()));
    }

    /**
     * Assistant turns are role "model". As for Anthropic, a conversation must start with the
     * user and alternate: blank messages are skipped, model turns before the first user turn are
     * dropped, and consecutive same-role messages are merged with a blank line between them.
     */
    static List<GeminiWire.Content> toGeminiContents(List<PromptMessage> messages) {
        List<GeminiWire.Content> contents = new ArrayList<>();
        for (PromptMessage message : messages) {
            if (message.role() == PromptMessage.Role.SYSTEM || message.content().isBlank()) {
                continue;
            }
            String role = message.role() == PromptMessage.Role.USER ? "user" : "model";
            if (contents.isEmpty() && role.equals("model")) {
                continue;
            }
            if (!contents.isEmpty() && contents.getLast().role().equals(role)) {
                String merged = contents.getLast().parts().getFirst().text() + "\n\n" + message.content();
                contents.set(contents.size() - 1, text(role, merged));
            } else {
                contents.add(text(role, message.content()));
            }
        }
        return contents;
    }

    private static GeminiWire.Content text(String role, String text) {
        return new GeminiWire.Content(role, List.of(new GeminiWire.Part(text, null)));
    }

    /**
     * The resource path of a model: {@code gemini-2.0-flash} becomes {@code models/gemini-2.0-flash};
     * an id that already names a resource ({@code models/x}, {@code tunedModels/y}) is kept. Each
     * segment is percent-encoded so a configured id can never alter the path or add a query.
     */
    static String toModelPath(String upstreamModel) {
        String name = upstreamModel.contains("/") ? upstreamModel : "models/" + upstreamModel;
        return Arrays.stream(name.split("/", -1)).map(GeminiMapper::encodeSegment).collect(Collectors.joining("/"));
    }

    private static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            }
        }
        return out.toString();
    }

    /**
     * Gemini's finish reasons in the neutral words the OpenAI path uses: the safety-like ones
     * become content_filter (the partial text already streamed stays), anything else keeps its
     * own name in lower case.
     */
    static String toFinishReason(String reason) {
        return switch (reason) {
            case "STOP" -> "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> reason.toLowerCase(Locale.ROOT);
        };
    }

    /** A non-2xx response. Google sends no request-id header for this API, so requestId is usually null. */
    static ModelFailure toFailure(int status, String body, HttpHeaders headers, String apiKey) {
        GeminiWire.ErrorBody error = null;
        try {
            error = JSON.readValue(body, GeminiWire.GenerateResponse.class).error();
        } catch (Exception notJson) {
            // a proxy or load balancer in front of the API may answer in HTML or plain text
        }
        String message = error != null && error.message() != null ? error.message() : null;
        if (message == null) {
            String text = body.strip();
            message = text.isEmpty() ? "HTTP " + status : text.length() > 300 ? text.substring(0, 300) + "…" : text;
        }
        return new ModelFailure(toKind(status, error), status, redact(message, apiKey), headers.firstValue("x-request-id").orElse(null),
                ModelFailure.parseRetryAfter(headers.firstValue("retry-after").orElse(null)));
    }

    /** An error object inside a 200 stream: mapped by the HTTP code it carries. */
    static ModelFailure toFailure(GeminiWire.ErrorBody error, String apiKey) {
        int status = error.code() == null ? 500 : error.code();
        return new ModelFailure(toKind(status, error), 0, redact(error.message() == null ? error.status() : error.message(), apiKey), null);
    }

    /**
     * The shared status table, with two Gemini quirks: a wrong key is a 400 INVALID_ARGUMENT whose
     * ErrorInfo reason is API_KEY_INVALID (an AUTH failure, not the request's fault), and 504
     * DEADLINE_EXCEEDED means the model ran out of time.
     */
    static ModelFailure.Kind toKind(int status, GeminiWire.ErrorBody error) {
        if (error != null && error.details() != null
                && error.details().stream().anyMatch(d -> "API_KEY_INVALID".equals(d.reason()))) {
            return ModelFailure.Kind.AUTH;
        }
        return status == 504 ? ModelFailure.Kind.TIMEOUT : ModelFailure.kindForStatus(status);
    }

    static String redact(String message, String apiKey) {
        if (message == null) {
            return null;
        }
        String clean = apiKey == null || apiKey.isEmpty() ? message : message.replace(apiKey, "[redacted]");
        clean = KEY_PARAMETER.matcher(clean).replaceAll("$1[redacted]");
        return KEY_LIKE.matcher(clean).replaceAll("[redacted]");
    }
}
