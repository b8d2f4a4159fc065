package io.aichatbot.llm.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Chat Completions wire format (https://platform.openai.com/docs/api-reference/chat). */
final class OpenAiWire {

    private OpenAiWire() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChatRequest(String model, List<WireMessage> messages, @JsonProperty("max_tokens") int maxTokens, boolean stream,
                       @JsonProperty("stream_options") StreamOptions streamOptions) {}

    record WireMessage(String role, String content) {}

    /** Without include_usage a stream carries no token counts at all. */
    record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Chunk(String id, List<ChunkChoice> choices, Usage usage, ErrorBody error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChunkChoice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Delta(String role, String content) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Completion(String id, List<CompletionChoice> choices, Usage usage, ErrorBody error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CompletionChoice(int index, Delta message, @JsonProperty("finish_reason") String finishReason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Usage(@JsonProperty("prompt_tokens") Integer promptTokens,
                 @JsonProperty("completion_tokens") Integer completionTokens) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String message, String type, Object code) {}
}
