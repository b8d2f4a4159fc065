package io.aichatbot.chat;

import java.time.Instant;

/** A user's rating of one assistant message; at most one per message, replaced on re-rating. */
public record Feedback(String messageId, String userId, Rating rating, String comment, Instant createdAt,
                       Instant updatedAt) {

    public enum Rating {
        UP, DOWN;

        public String wire() {
            return name().toLowerCase();
        }
    }
}
