package io.aichatbot.chat;

import java.time.Instant;

/**
 * What {@link ChatStore#beginRegeneration} writes: a new reply to the conversation's last
 * question, with no new user message.
 *
 * @param leaseUntil  when the turn lease lapses if the process dies without finishing it
 * @param maxMessages the conversation's stored-message cap; a regeneration needs one more slot
 */
public record NewReply(String userId, String conversationId, String replyId, Instant now, Instant leaseUntil,
                       long maxMessages) {}
