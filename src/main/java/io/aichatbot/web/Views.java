package io.aichatbot.web;

import io.aichatbot.chat.Conversation;
import io.aichatbot.chat.Feedback;
import io.aichatbot.chat.Message;
import io.aichatbot.chat.Page;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** The JSON shapes of the API: what clients see, decoupled from the domain records. */
final class Views {

    private Views() {}

    record ConversationView(String id, String title, String model, String createdAt, String updatedAt, long messageCount) {}

    record MessageView(String id, String conversationId, long seq, String role, String content, String status,
                       String model, Integer inputTokens, Integer outputTokens, String createdAt, String completedAt,
                       Integer firstTokenMs, Integer durationMs, String errorCode, Double costUsd,
                       String finishReason, FeedbackView feedback) {}

    record FeedbackView(String messageId, String rating, String comment, String createdAt, String updatedAt) {}

    record PageView<T>(List<T> items, String nextCursor) {}

    record TurnView(ConversationView conversation, MessageView userMessage, MessageView reply) {}

    record ErrorBody(ErrorView error) {}

    record ErrorView(String code, String message) {}

    static ConversationView of(Conversation c) {
        return new ConversationView(c.id(), c.title(), c.model(), time(c.createdAt()), time(c.updatedAt()), c.messageCount());
    }

    static MessageView of(Message m) {
        return of(m, null);
    }

    /** With the user's feedback on it; null when there is none (or for a user message). */
    static MessageView of(Message m, Feedback feedback) {
        return new MessageView(m.id(), m.conversationId(), m.seq(), m.role().wire(), m.content(), m.status().wire(),
                m.model(), m.inputTokens(), m.outputTokens(), time(m.createdAt()), time(m.completedAt()),
                m.firstTokenMs(), m.durationMs(), m.errorCode(), m.costMicros() == null ? null : m.costMicros() / 1e6,
                m.finishReason(), feedback == null ? null : of(feedback));
    }

    static FeedbackView of(Feedback f) {
        return new FeedbackView(f.messageId(), f.rating().wire(), f.comment(), time(f.createdAt()), time(f.updatedAt()));
    }

    static <T, V> PageView<V> of(Page<T> page, Function<T, V> view) {
        return new PageView<>(page.items().stream().map(view).toList(), page.nextCursor());
    }

    static ErrorBody error(String code, String message) {
        return new ErrorBody(new ErrorView(code, message));
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
