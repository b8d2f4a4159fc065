package io.aichatbot.chat;

import java.time.Instant;

/**
 * What {@link ChatStore#beginTurn} writes.
 *
 * @param leaseUntil  when the turn lease lapses if the process dies without finishing it
 * @param maxMessages the conversation's stored-message cap; the turn needs two more slots
 * @param model       the reply's model, unless {@link ChatStore#beginTurn(NewTurn, ChatStore.ModelChoice)} chooses it
 * @param newTitle    a title to set if the conversation has no messages yet and still has the
 *                    default title ({@link ChatService#DEFAULT_TITLE}), else null
 */
public record NewTurn(String userId, String conversationId, String userMessageId, String replyId, String content,
                      String model, Instant now, Instant leaseUntil, long maxMessages, String newTitle) {}
