package io.aichatbot.chat;

import java.time.Instant;

/** The end state of an assistant reply, written once. */
public record FinishedReply(String conversationId, String replyId, String content, Message.Status status,
                            Integer inputTokens, Integer outputTokens, Instant completedAt, Integer firstTokenMs,
                            Integer durationMs, String errorCode, Long costMicros, String finishReason) {

    public FinishedReply {
        if (status == Message.Status.STREAMING) {
            throw new IllegalArgumentException("a finished reply cannot be streaming");
        }
    }
}
