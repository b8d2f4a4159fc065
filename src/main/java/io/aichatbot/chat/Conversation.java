package io.aichatbot.chat;

import java.time.Instant;

/** A user's conversation as stored; {@code messageCount} counts every stored message of it. */
public record Conversation(String id, String userId, String title, String model, Instant createdAt,
                           Instant updatedAt, long messageCount) {}
