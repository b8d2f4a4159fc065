package io.aichatbot.chat;

import java.time.Instant;

/**
 * One stored message: one row, appended once and, for an assistant reply, finished once.
 *
 * @param seq          position in the conversation, 1-based, gap-free within it
 * @param firstTokenMs time from the model call to its first token, null if none arrived
 * @param durationMs   time from the model call to its end
 * @param errorCode    the stable error code a failed or stopped reply ended with
 * @param costMicros   the reply's cost in millionths of a US dollar, null when unpriced
 * @param finishReason why a complete reply ended ({@code stop}, {@code length} = cut at the output
 *                     token limit, {@code content_filter}, {@code tool_calls}, or a provider's own
 *                     value); null unless complete
 */
public record Message(String id, String conversationId, long seq, Role role, String content, Status status,
                      String model, Integer inputTokens, Integer outputTokens, Instant createdAt,
                      Instant completedAt, Integer firstTokenMs, Integer durationMs, String errorCode, Long costMicros,
                      String finishReason) {

    public enum Role {
        SYSTEM, USER, ASSISTANT;

        public String wire() {
            return name().toLowerCase();
        }

        public static Role fromWire(String value) {
            return valueOf(value.toUpperCase());
        }
    }

    /** STREAMING is the only non-final state; a reply leaves it exactly once. */
    public enum Status {
        COMPLETE, STREAMING, STOPPED, FAILED;

        public String wire() {
            return name().toLowerCase();
        }

        public static Status fromWire(String value) {
            return valueOf(value.toUpperCase());
        }
    }
}
