package io.aichatbot.llm;

import java.util.List;
import java.util.Objects;

/**
 * One call to a model: the upstream model id, the prompt (already cut to the context budget)
 * and the output limit.
 *
 * @param stream whether the caller wants the answer streamed; a non-stream call still yields
 *               events (one Delta with the whole text, Usage, Done) so callers have one path
 */
public record ModelRequest(String upstreamModel, List<PromptMessage> messages, int maxOutputTokens, boolean stream) {

    public ModelRequest {
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a model request needs at least one message");
        }
        if (maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, was " + maxOutputTokens);
        }
    }
}
