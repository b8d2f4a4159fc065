package io.aichatbot.jobs;

import java.time.Instant;
import java.util.List;

/** The database work the maintenance jobs need; every method commits before it returns. */
public interface MaintenanceStore {

    /** Replies left streaming by a dead process become failed/interrupted; returns how many. */
    int recoverInterruptedTurns(Instant now);

    /**
     * Checks up to {@code limit} conversations with id after {@code afterId} (keyset order) and
     * repairs their counters (message_count, last_seq) where they disagree with their rows.
     */
    IntegrityBatch checkConversations(String afterId, int limit);

    /** {@code gaps}: conversations whose highest sequence number exceeds their row count. */
    record IntegrityBatch(int checked, int repaired, int gaps, String lastId) {}

    /** Ids of conversations not updated since {@code before}, oldest first. */
    List<String> idleConversations(Instant before, int limit);

    /** Deletes those of {@code ids} still idle since {@code before} (with messages and feedback), in one transaction. */
    int deleteConversations(List<String> ids, Instant before);

    /** Feedback rows last updated before {@code before}, oldest first. */
    List<FeedbackRecord> feedbackBefore(Instant before, int limit);

    record FeedbackRecord(String messageId, String userId, String conversationId, int rating, String comment,
                          long createdAt, long updatedAt) {}

    /** Deletes those of the rows not re-rated since {@code before} (a newer rating was not exported). */
    int deleteFeedback(List<String> messageIds, Instant before);

    /** Statistics and space upkeep for the dialect (SQLite optimize/checkpoint, PostgreSQL ANALYZE). */
    String upkeep();
}
