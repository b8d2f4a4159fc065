package io.aichatbot.store;

import io.aichatbot.chat.Conversation;
import io.aichatbot.chat.Feedback;
import io.aichatbot.chat.Message;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Row mappers and parameter helpers shared by the stores; pure functions. */
final class Rows {

    static final String CONVERSATION_COLUMNS = "id, user_id, title, model, created_at, updated_at, message_count";
    static final String MESSAGE_COLUMNS = "id, conversation_id, seq, role, content, status, model, input_tokens, "
            + "output_tokens, created_at, completed_at, first_token_ms, duration_ms, error_code, cost_micros, finish_reason";

    private Rows() {}

    static Conversation toConversation(ResultSet row) throws SQLException {
        return new Conversation(row.getString("id"), row.getString("user_id"), row.getString("title"),
                row.getString("model"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")), row.getLong("message_count"));
    }

    static Message toMessage(ResultSet row) throws SQLException {
        return new Message(row.getString("id"), row.getString("conversation_id"), row.getLong("seq"),
                Message.Role.fromWire(row.getString("role")), row.getString("content"),
                Message.Status.fromWire(row.getString("status")), row.getString("model"),
                integer(row, "input_tokens"), integer(row, "output_tokens"),
                Instant.ofEpochMilli(row.getLong("created_at")), instant(row, "completed_at"),
                integer(row, "first_token_ms"), integer(row, "duration_ms"), row.getString("error_code"),
                longOrNull(row, "cost_micros"), row.getString("finish_reason"));
    }

    static Feedback toFeedback(ResultSet row) throws SQLException {
        return new Feedback(row.getString("message_id"), row.getString("user_id"),
                row.getInt("rating") > 0 ? Feedback.Rating.UP : Feedback.Rating.DOWN, row.getString("comment"),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
    }

    static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    static Long longOrNull(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static void setText(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
