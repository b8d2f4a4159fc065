package io.aichatbot.store;

import io.aichatbot.jobs.MaintenanceStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The maintenance jobs' database work, in small batches, on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcMaintenanceStore implements MaintenanceStore {

    private final Database database;
    private final JdbcChatStore chats;

    public JdbcMaintenanceStore(Database database, JdbcChatStore chats) {
        this.database = database;
        this.chats = chats;
    }

    @Override
    public int recoverInterruptedTurns(Instant now) {
        return chats.recoverInterruptedTurns(now);
    }

    @Override
    public IntegrityBatch checkConversations(String afterId, int limit) {
        record Check(String id, long count, long lastSeq, long actualCount, long actualMax) {}
        List<Check> checks = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT c.id, c.message_count, c.last_seq,
                           (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS actual_count,
                           (SELECT COALESCE(MAX(m.seq), 0) FROM messages m WHERE m.conversation_id = c.id) AS actual_max
                    FROM conversations c WHERE c.id > ? ORDER BY c.id LIMIT ?""")) {
                select.setString(1, afterId);
                select.setInt(2, limit);
                List<Check> list = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        list.add(new Check(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5)));
                    }
                }
                return list;
            }
        });
        int repaired = 0;
        int gaps = 0;
        for (Check check : checks) {
            if (check.actualMax() > check.actualCount()) {
                gaps++; // reported, not renumbered: ids and sequence numbers are what clients hold on to
            }
            if (check.count() != check.actualCount() || check.lastSeq() < check.actualMax()) {
                // Counters follow the rows, never the other way round; a conversation mid-turn is left
                // for the next run. last_seq never goes down, so a sequence number is never reused.
                repaired += database.write(connection -> {
                    try (PreparedStatement fix = connection.prepareStatement("""
                            UPDATE conversations
                            SET message_count = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id),
                                last_seq = CASE WHEN last_seq < ? THEN ? ELSE last_seq END
                            WHERE id = ? AND active_turn IS NULL""")) {
                        fix.setLong(1, check.actualMax());
                        fix.setLong(2, check.actualMax());
                        fix.setString(3, check.id());
                        return fix.executeUpdate();
                    }
                });
            }
        }
        return new IntegrityBatch(checks.size(), repaired, gaps, checks.isEmpty() ? afterId : checks.getLast().id());
    }

    @Override
    public List<String> idleConversations(Instant before, int limit) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM conversations WHERE updated_at < ? AND active_turn IS NULL ORDER BY updated_at LIMIT ?")) {
                select.setLong(1, before.toEpochMilli());
                select.setInt(2, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        ids.add(row.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    @Override
    public int deleteConversations(List<String> ids, Instant before) {
        return database.write(connection -> {
            int deleted = 0;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM conversations WHERE id = ? AND updated_at < ? AND active_turn IS NULL")) {
                for (String id : ids) {
                    delete.setString(1, id);
                    delete.setLong(2, before.toEpochMilli());
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    @Override
    public List<FeedbackRecord> feedbackBefore(Instant before, int limit) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT f.message_id, f.user_id, m.conversation_id, f.rating, f.comment, f.created_at, f.updated_at
                    FROM feedback f JOIN messages m ON m.id = f.message_id
                    WHERE f.updated_at < ? ORDER BY f.updated_at, f.message_id LIMIT ?""")) {
                select.setLong(1, before.toEpochMilli());
                select.setInt(2, limit);
                List<FeedbackRecord> rows = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new FeedbackRecord(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                                row.getString(5), row.getLong(6), row.getLong(7)));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public int deleteFeedback(List<String> messageIds, Instant before) {
        return database.write(connection -> {
            int deleted = 0;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM feedback WHERE message_id = ? AND updated_at < ?")) {
                for (String id : messageIds) {
                    delete.setString(1, id);
                    delete.setLong(2, before.toEpochMilli());
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    @Override
    public String upkeep() {
        return database.upkeep();
    }
}
