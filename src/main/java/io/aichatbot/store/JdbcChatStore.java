package io.aichatbot.store;

import io.aichatbot.chat.ChatError;
import io.aichatbot.chat.ChatException;
import io.aichatbot.chat.ChatService;
import io.aichatbot.chat.ChatStore;
import io.aichatbot.chat.Conversation;
import io.aichatbot.chat.Cursor;
import io.aichatbot.chat.Feedback;
import io.aichatbot.chat.FinishedReply;
import io.aichatbot.chat.Ids;
import io.aichatbot.chat.Message;
import io.aichatbot.chat.NewReply;
import io.aichatbot.chat.NewTurn;
import io.aichatbot.chat.Page;
import io.aichatbot.chat.SortOrder;
import io.aichatbot.chat.TurnStart;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import static io.aichatbot.store.Rows.CONVERSATION_COLUMNS;
import static io.aichatbot.store.Rows.MESSAGE_COLUMNS;

/**
 * {@link ChatStore} on SQLite or PostgreSQL; one SQL text serves both (epoch-millisecond times,
 * text ids, standard upserts). Every read is a keyset range on an index; every write touches a
 * constant number of rows, whatever the length of the conversation. Thread-safe.
 */
public final class JdbcChatStore implements ChatStore {

    private final Database database;

    public JdbcChatStore(Database database) {
        this.database = database;
    }

    @Override
    public Conversation createConversation(String userId, String title, String model, Instant now) {
        long millis = now.toEpochMilli();
        var conversation = new Conversation(Ids.newId(millis), userId, title, model, Instant.ofEpochMilli(millis),
                Instant.ofEpochMilli(millis), 0);
        database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO conversations (id, user_id, title, model, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, conversation.id());
                insert.setString(2, userId);
                insert.setString(3, title);
                insert.setString(4, model);
                insert.setLong(5, millis);
                insert.setLong(6, millis);
                return insert.executeUpdate();
            }
        });
        return conversation;
    }

    @Override
    public Optional<Conversation> findConversation(String userId, String conversationId) {
        return database.read(connection -> selectConversation(connection, userId, conversationId));
    }

    @Override
    public Page<Conversation> listConversations(String userId, String cursor, int limit) {
        Cursor.ConversationKey after = cursor == null ? null : Cursor.decodeConversation(cursor);
        String sql = "SELECT " + CONVERSATION_COLUMNS + " FROM conversations WHERE user_id = ?"
                + (after == null ? "" : " AND (updated_at < ? OR (updated_at = ? AND id < ?))")
                + " ORDER BY updated_at DESC, id DESC LIMIT ?";
        List<Conversation> rows = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int i = 1;
                select.setString(i++, userId);
                if (after != null) {
                    select.setLong(i++, after.updatedAtMillis());
                    select.setLong(i++, after.updatedAtMillis());
                    select.setString(i++, after.id());
                }
                select.setInt(i, limit + 1);
                List<Conversation> list = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        list.add(Rows.toConversation(row));
                    }
                }
                return list;
            }
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        Conversation last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit),
                Cursor.encode(new Cursor.ConversationKey(last.updatedAt().toEpochMilli(), last.id())));
    }

    @Override
    public Optional<Conversation> renameConversation(String userId, String conversationId, String title, Instant now) {
        return database.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE conversations SET title = ? WHERE id = ? AND user_id = ?")) {
                update.setString(1, title);
                update.setString(2, conversationId);
                update.setString(3, userId);
                if (update.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return selectConversation(connection, userId, conversationId);
        });
    }

    @Override
    public boolean deleteConversation(String userId, String conversationId) {
        return database.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM conversations WHERE id = ? AND user_id = ?")) {
                delete.setString(1, conversationId);
                delete.setString(2, userId);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public TurnStart beginTurn(NewTurn turn, ModelChoice choice) {
        long now = turn.now().toEpochMilli();
        return database.write(connection -> {
            Lease lease = lease(connection, turn.userId(), turn.conversationId(), turn.replyId(), now,
                    turn.leaseUntil().toEpochMilli(), turn.maxMessages(), 2, turn.newTitle());
            long lastSeq = lease.lastSeq();
            Conversation conversation = lease.conversation();
            String model = choice.modelFor(conversation); // may refuse: the unit then rolls back
            Instant at = Instant.ofEpochMilli(now);
            var userMessage = new Message(turn.userMessageId(), turn.conversationId(), lastSeq - 1, Message.Role.USER,
                    turn.content(), Message.Status.COMPLETE, null, null, null, at, at, null, null, null, null, null);
            var reply = new Message(turn.replyId(), turn.conversationId(), lastSeq, Message.Role.ASSISTANT, "",
                    Message.Status.STREAMING, model, null, null, at, null, null, null, null, null, null);
            insertMessages(connection, userMessage, reply);
            return new TurnStart(conversation, userMessage, reply);
        });
    }

    @Override
    public TurnStart beginRegeneration(NewReply reply, RegenerationChoice choice) {
        long now = reply.now().toEpochMilli();
        return database.write(connection -> {
            // The same lease as a turn's, for one new row instead of two.
            Lease lease = lease(connection, reply.userId(), reply.conversationId(), reply.replyId(), now,
                    reply.leaseUntil().toEpochMilli(), reply.maxMessages(), 1, null);
            long seq = lease.lastSeq();
            Conversation conversation = lease.conversation();
            // The question is the newest user message: an index range read backwards from the end,
            // past the replies already given to it.
            Message question;
            try (PreparedStatement select = connection.prepareStatement("SELECT " + MESSAGE_COLUMNS
                    + " FROM messages WHERE conversation_id = ? AND seq < ? AND role = 'user' ORDER BY seq DESC LIMIT 1")) {
                select.setString(1, reply.conversationId());
                select.setLong(2, seq);
                question = messages(select).stream().findFirst().orElseThrow(() -> new ChatException(
                        ChatError.NOTHING_TO_REGENERATE, "this conversation has no message to answer again"));
            }
            String model = choice.modelFor(conversation, question); // may refuse: the unit then rolls back
            Instant at = Instant.ofEpochMilli(now);
            var placeholder = new Message(reply.replyId(), reply.conversationId(), seq, Message.Role.ASSISTANT, "",
                    Message.Status.STREAMING, model, null, null, at, null, null, null, null, null, null);
            insertMessages(connection, placeholder);
            return new TurnStart(conversation, question, placeholder);
        });
    }

    private record Lease(long lastSeq, Conversation conversation) {}

    /**
     * The turn lease, the message cap and {@code slots} new sequence numbers in one conditional
     * UPDATE: a second turn on the same conversation (here or on another instance) finds the lease
     * taken and is refused. RETURNING hands back the new last sequence number and the conversation
     * in the same statement. {@code newTitle}, when not null, replaces the default title of a
     * conversation that has no messages yet. Throws the reason when the lease cannot be taken.
     */
    private static Lease lease(Connection connection, String userId, String conversationId, String replyId, long now,
                               long leaseUntil, long maxMessages, int slots, String newTitle) throws SQLException {
        try (PreparedStatement lease = connection.prepareStatement("""
                UPDATE conversations
                SET last_seq = last_seq + ?, message_count = message_count + ?, updated_at = ?,
                    active_turn = ?, turn_until = ?, stop_requested = NULL,
                    title = CASE WHEN message_count = 0 AND title = ? AND CAST(? AS TEXT) IS NOT NULL
                                 THEN CAST(? AS TEXT) ELSE title END
                WHERE id = ? AND user_id = ? AND (active_turn IS NULL OR turn_until < ?) AND message_count + ? <= ?
                RETURNING last_seq,\s""" + CONVERSATION_COLUMNS)) {
            lease.setInt(1, slots);
            lease.setInt(2, slots);
            lease.setLong(3, now);
            lease.setString(4, replyId);
            lease.setLong(5, leaseUntil);
            lease.setString(6, ChatService.DEFAULT_TITLE);
            Rows.setText(lease, 7, newTitle);
            Rows.setText(lease, 8, newTitle);
            lease.setString(9, conversationId);
            lease.setString(10, userId);
            lease.setLong(11, now);
            lease.setInt(12, slots);
            lease.setLong(13, maxMessages);
            try (ResultSet row = lease.executeQuery()) {
                if (row.next()) {
                    return new Lease(row.getLong(1), Rows.toConversation(row));
                }
            }
        }
        throw whyNoTurn(connection, userId, conversationId, maxMessages, slots);
    }

    private static ChatException whyNoTurn(Connection connection, String userId, String conversationId, long maxMessages,
                                           int slots) throws SQLException {
        Optional<Conversation> conversation = selectConversation(connection, userId, conversationId);
        if (conversation.isEmpty()) {
            return ChatException.notFound("conversation");
        }
        if (conversation.get().messageCount() + slots > maxMessages) {
            return new ChatException(ChatError.CONVERSATION_FULL, "this conversation holds the maximum of "
                    + maxMessages + " messages; start a new conversation");
        }
        return new ChatException(ChatError.TURN_IN_PROGRESS,
                "a reply is still being generated in this conversation; wait for it or stop it");
    }

    /** One INSERT for all the rows: a turn's two messages cost one statement, not two. */
    private static void insertMessages(Connection connection, Message... messages) throws SQLException {
        String values = String.join(", ", Collections.nCopies(messages.length,
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (" + MESSAGE_COLUMNS
                + ") VALUES " + values)) {
            int i = 0;
            for (Message message : messages) {
                insert.setString(i + 1, message.id());
                insert.setString(i + 2, message.conversationId());
                insert.setLong(i + 3, message.seq());
                insert.setString(i + 4, message.role().wire());
                insert.setString(i + 5, message.content());
                insert.setString(i + 6, message.status().wire());
                Rows.setText(insert, i + 7, message.model());
                Rows.setInteger(insert, i + 8, message.inputTokens());
                Rows.setInteger(insert, i + 9, message.outputTokens());
                insert.setLong(i + 10, message.createdAt().toEpochMilli());
                Rows.setLong(insert, i + 11, message.completedAt() == null ? null : message.completedAt().toEpochMilli());
                Rows.setInteger(insert, i + 12, message.firstTokenMs());
                Rows.setInteger(insert, i + 13, message.durationMs());
                Rows.setText(insert, i + 14, message.errorCode());
                Rows.setLong(insert, i + 15, message.costMicros());
                Rows.setText(insert, i + 16, message.finishReason());
                i += 16;
            }
            insert.executeUpdate();
        }
    }

    @Override
    public boolean requestStop(String userId, String conversationId, Instant now) {
        return database.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE conversations SET stop_requested = ?
                    WHERE id = ? AND user_id = ? AND active_turn IS NOT NULL AND turn_until >= ?""")) {
                update.setLong(1, now.toEpochMilli());
                update.setString(2, conversationId);
                update.setString(3, userId);
                update.setLong(4, now.toEpochMilli());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Set<String> stopsRequested(Collection<String> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(conversationIds);
        return database.read(connection -> {
            Set<String> found = new HashSet<>();
            for (int from = 0; from < ids.size(); from += 200) { // bounded IN lists
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 200));
                try (PreparedStatement select = connection.prepareStatement("SELECT id FROM conversations WHERE id IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") AND stop_requested IS NOT NULL")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next()) {
                            found.add(row.getString(1));
                        }
                    }
                }
            }
            return found;
        });
    }

    @Override
    public Message finishReply(FinishedReply reply) {
        return database.write(connection -> {
            Message finished;
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE messages SET content = ?, status = ?, input_tokens = ?, output_tokens = ?, completed_at = ?,
                        first_token_ms = ?, duration_ms = ?, error_code = ?, cost_micros = ?, finish_reason = ?
                    WHERE id = ? AND status = 'streaming'
                    RETURNING\s""" + MESSAGE_COLUMNS)) {
                update.setString(1, reply.content());
                update.setString(2, reply.status().wire());
                Rows.setInteger(update, 3, reply.inputTokens());
                Rows.setInteger(update, 4, reply.outputTokens());
                update.setLong(5, reply.completedAt().toEpochMilli());
                Rows.setInteger(update, 6, reply.firstTokenMs());
                Rows.setInteger(update, 7, reply.durationMs());
                Rows.setText(update, 8, reply.errorCode());
                Rows.setLong(update, 9, reply.costMicros());
                Rows.setText(update, 10, reply.finishReason());
                update.setString(11, reply.replyId());
                try (ResultSet row = update.executeQuery()) {
                    finished = row.next() ? Rows.toMessage(row) : null;
                }
            }
            try (PreparedStatement release = connection.prepareStatement("""
                    UPDATE conversations SET active_turn = NULL, turn_until = NULL, stop_requested = NULL, updated_at = ?
                    WHERE id = ? AND active_turn = ?""")) {
                release.setLong(1, reply.completedAt().toEpochMilli());
                release.setString(2, reply.conversationId());
                release.setString(3, reply.replyId());
                release.executeUpdate();
            }
            // Already finished earlier (e.g. by crash recovery): answer with what is stored.
            return finished != null ? finished : selectMessage(connection, reply.replyId()).orElseThrow();
        });
    }

    @Override
    public Page<Message> listMessages(String userId, String conversationId, String cursor, int limit, SortOrder order) {
        boolean newestFirst = order == SortOrder.NEWEST_FIRST;
        Long from = cursor == null ? null : Cursor.decodeSeq(cursor);
        List<Message> rows = database.read(connection -> {
            if (selectConversation(connection, userId, conversationId).isEmpty()) {
                throw ChatException.notFound("conversation");
            }
            String sql = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ?"
                    + (from == null ? "" : newestFirst ? " AND seq < ?" : " AND seq > ?")
                    + " ORDER BY seq " + (newestFirst ? "DESC" : "ASC") + " LIMIT ?";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int i = 1;
                select.setString(i++, conversationId);
                if (from != null) {
                    select.setLong(i++, from);
                }
                select.setInt(i, limit + 1);
                return messages(select);
            }
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        return new Page<>(rows.subList(0, limit), Cursor.encodeSeq(rows.get(limit - 1).seq()));
    }

    @Override
    public void scanHistory(String conversationId, long beforeSeq, int maxRows, Predicate<Message> visitor) {
        database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + MESSAGE_COLUMNS
                    + " FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                select.setString(1, conversationId);
                select.setLong(2, beforeSeq);
                select.setInt(3, maxRows);
                select.setFetchSize(32); // PostgreSQL fetches in batches only inside a transaction; SQLite steps lazily anyway
                try (ResultSet row = select.executeQuery()) {
                    while (row.next() && visitor.test(Rows.toMessage(row))) {
                        // the visitor decides when the budget is spent
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Message> findMessage(String userId, String messageId) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT m."
                    + MESSAGE_COLUMNS.replace(", ", ", m.")
                    + " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ? AND c.user_id = ?")) {
                select.setString(1, messageId);
                select.setString(2, userId);
                return messages(select).stream().findFirst();
            }
        });
    }

    @Override
    public Feedback saveFeedback(String userId, String messageId, Feedback.Rating rating, String comment, Instant now) {
        return database.write(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO feedback (message_id, user_id, rating, comment, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (message_id) DO UPDATE
                    SET rating = excluded.rating, comment = excluded.comment, updated_at = excluded.updated_at""")) {
                upsert.setString(1, messageId);
                upsert.setString(2, userId);
                upsert.setInt(3, rating == Feedback.Rating.UP ? 1 : -1);
                Rows.setText(upsert, 4, comment);
                upsert.setLong(5, now.toEpochMilli());
                upsert.setLong(6, now.toEpochMilli());
                upsert.executeUpdate();
            }
            return selectFeedback(connection, userId, messageId).orElseThrow();
        });
    }

    @Override
    public Optional<Feedback> findFeedback(String userId, String messageId) {
        return database.read(connection -> selectFeedback(connection, userId, messageId));
    }

    @Override
    public java.util.Map<String, Feedback> feedbackFor(String userId, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return java.util.Map.of();
        }
        String marks = String.join(", ", Collections.nCopies(messageIds.size(), "?"));
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT message_id, user_id, rating, comment, created_at, updated_at
                    FROM feedback WHERE user_id = ? AND message_id IN (""" + marks + ")")) {
                int i = 1;
                select.setString(i++, userId);
                for (String id : messageIds) {
                    select.setString(i++, id);
                }
                java.util.Map<String, Feedback> found = new java.util.HashMap<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        Feedback feedback = Rows.toFeedback(row);
                        found.put(feedback.messageId(), feedback);
                    }
                }
                return found;
            }
        });
    }

    @Override
    public int recoverInterruptedTurns(Instant now) {
        long millis = now.toEpochMilli();
        return database.write(connection -> {
            int fixed;
            try (PreparedStatement fail = connection.prepareStatement("""
                    UPDATE messages SET status = 'failed', error_code = 'interrupted', completed_at = ?
                    WHERE status = 'streaming' AND conversation_id IN (
                        SELECT id FROM conversations WHERE active_turn IS NULL OR turn_until < ?)""")) {
                fail.setLong(1, Math.min(millis, System.currentTimeMillis()));
                fail.setLong(2, millis);
                fixed = fail.executeUpdate();
            }
            try (PreparedStatement release = connection.prepareStatement(
                    "UPDATE conversations SET active_turn = NULL, turn_until = NULL WHERE active_turn IS NOT NULL AND turn_until < ?")) {
                release.setLong(1, millis);
                release.executeUpdate();
            }
            return fixed;
        });
    }

    private static Optional<Conversation> selectConversation(Connection connection, String userId, String id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + CONVERSATION_COLUMNS + " FROM conversations WHERE id = ? AND user_id = ?")) {
            select.setString(1, id);
            select.setString(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(Rows.toConversation(row)) : Optional.empty();
            }
        }
    }

    private static Optional<Message> selectMessage(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = ?")) {
            select.setString(1, id);
            return messages(select).stream().findFirst();
        }
    }

    private static Optional<Feedback> selectFeedback(Connection connection, String userId, String messageId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT message_id, user_id, rating, comment, created_at, updated_at
                FROM feedback WHERE message_id = ? AND user_id = ?""")) {
            select.setString(1, messageId);
            select.setString(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(Rows.toFeedback(row)) : Optional.empty();
            }
        }
    }

    private static List<Message> messages(PreparedStatement select) throws SQLException {
        List<Message> list = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                list.add(Rows.toMessage(row));
            }
        }
        return list;
    }
}
