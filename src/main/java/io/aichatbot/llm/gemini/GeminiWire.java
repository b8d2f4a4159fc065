package io.aichatbot.llm.gemini;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Gemini API generateContent wire format (https://ai.google.dev/api/generate-content). */
final class GeminiWire {

    private GeminiWire() {}

    /** {@code systemInstruction} is null (left out) when the prompt has no system message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerateRequest(List<Content> contents, Content systemInstruction, GenerationConfig generationConfig) {}

    /** {@code role} is "user" or "model"; null for a system instruction. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(String role, List<Part> parts) {}

    /** {@code thought} is true on a thinking model's thought summary, which is not answer text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Part(String text, Boolean thought) {}

    record GenerationConfig(int maxOutputTokens) {}

    /** One GenerateContentResponse: a whole answer, or one chunk of a stream; {@code error} for an error object. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GenerateResponse(List<Candidate> candidates, PromptFeedback promptFeedback, UsageMetadata usageMetadata,
                            ErrorBody error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Candidate(Content content, String finishReason, Integer index) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PromptFeedback(String blockReason) {}

    /** Thinking models bill {@code thoughtsTokenCount} as output on top of {@code candidatesTokenCount}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UsageMetadata(Integer promptTokenCount, Integer candidatesTokenCount, Integer thoughtsTokenCount) {}

    /** Google's error object: {@code {"code":400,"message":"...","status":"INVALID_ARGUMENT","details":[...]}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(Integer code, String message, String status, List<ErrorDetail> details) {}

    /** A {@code google.rpc.ErrorInfo} detail says why, e.g. reason API_KEY_INVALID. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorDetail(@JsonProperty("@type") String type, String reason) {}
}
