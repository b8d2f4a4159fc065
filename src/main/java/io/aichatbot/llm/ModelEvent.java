package io.aichatbot.llm;

import java.util.Objects;

/** What a model call can produce; {@link Done} and {@link Failed} are terminal. */
public sealed interface ModelEvent {

    /** A piece of answer text, in order. Never empty. */
    record Delta(String text) implements ModelEvent {
        public Delta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Token counts as reported by the provider itself (not estimated). */
    record Usage(int inputTokens, int outputTokens) implements ModelEvent {}

    /** The answer ended normally; {@code finishReason} is the provider's own word (stop, length...). */
    record Done(String finishReason) implements ModelEvent {}

    /** The call ended without a complete answer. */
    record Failed(ModelFailure failure) implements ModelEvent {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    default boolean isTerminal() {
        return this instanceof Done || this instanceof Failed;
    }
}
