package io.aichatbot.llm;

import java.util.Objects;

/** One message of a prompt as every provider understands it. */
public record PromptMessage(Role role, String content) {

    public enum Role { SYSTEM, USER, ASSISTANT }

    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
