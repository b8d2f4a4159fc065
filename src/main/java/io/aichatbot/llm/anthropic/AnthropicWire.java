package io.aichatbot.llm.anthropic;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Messages API wire format (https://docs.anthropic.com/en/api/messages and .../messages-streaming). */
final class AnthropicWire {

    private AnthropicWire() {}

    /** {@code system} is null (left out) when the prompt has no system message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MessagesRequest(String model, @JsonProperty("max_tokens") int maxTokens, String system,
                           List<WireMessage> messages, boolean stream) {}

    /** String content is the API's shorthand for one text block. */
    record WireMessage(String role, String content) {}

    /**
     * Every streamed event in one shape; which fields are set depends on {@code type}:
     * message_start has {@code message}, content_block_delta has {@code delta} (text_delta, thinking_delta,
     * input_json_delta...), message_delta has {@code delta.stop_reason} and cumulative {@code usage},
     * error has {@code error}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamEvent(String type, Integer index, Message message, Delta delta, Usage usage, ErrorBody error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Delta(String type, String text, @JsonProperty("stop_reason") String stopReason) {}

    /** A whole answer, or the skeleton in message_start; {@code type} is "error" for an error body. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Message(String id, String type, List<ContentBlock> content, @JsonProperty("stop_reason") String stopReason,
                   Usage usage, ErrorBody error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContentBlock(String type, String text) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Usage(@JsonProperty("input_tokens") Integer inputTokens, @JsonProperty("output_tokens") Integer outputTokens) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String type, String message) {}
}
