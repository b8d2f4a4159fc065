package io.aichatbot.store;

import io.aichatbot.usage.UsageStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Usage rollups on SQLite or PostgreSQL: one upsert per turn, reports read only the rollups. */
public final class JdbcUsageStore implements UsageStore {

    private final Database database;

    public JdbcUsageStore(Database database) {
        this.database = database;
    }

    @Override
    public void add(UsageDelta delta) {
        database.write(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO usage_daily (day, user_id, model, requests, errors, input_tokens, output_tokens,
                                             cost_micros, latency_ms_sum)
                    VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
                    ON CONFLICT (day, user_id, model) DO UPDATE SET
                        requests = usage_daily.requests + 1,
                        errors = usage_daily.errors + excluded.errors,
                        input_tokens = usage_daily.input_tokens + excluded.input_tokens,
                        output_tokens = usage_daily.output_tokens + excluded.output_tokens,
                        cost_micros = usage_daily.cost_micros + excluded.cost_micros,
                        latency_ms_sum = usage_daily.latency_ms_sum + excluded.latency_ms_sum""")) {
                upsert.setString(1, delta.day());
                upsert.setString(2, delta.userId());
                upsert.setString(3, delta.model());
                upsert.setLong(4, delta.error() ? 1 : 0);
                upsert.setLong(5, delta.inputTokens());
                upsert.setLong(6, delta.outputTokens());
                upsert.setLong(7, delta.costMicros());
                upsert.setLong(8, delta.latencyMs());
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public List<UsageRow> report(String fromDay, String toDay, int limit) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT u.day, COALESCE(us.name, u.user_id) AS user_name, u.model, u.requests, u.errors,
                           u.input_tokens, u.output_tokens, u.cost_micros, u.latency_ms_sum
                    FROM usage_daily u LEFT JOIN users us ON us.id = u.user_id
                    WHERE u.day >= ? AND u.day <= ?
                    ORDER BY u.day DESC, u.model, user_name LIMIT ?""")) {
                select.setString(1, fromDay);
                select.setString(2, toDay);
                select.setInt(3, limit);
                List<UsageRow> rows = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        long requests = row.getLong(4);
                        rows.add(new UsageRow(row.getString(1), row.getString(2), row.getString(3), requests, row.getLong(5),
                                row.getLong(6), row.getLong(7), row.getLong(8) / 1e6,
                                requests == 0 ? 0 : row.getLong(9) / requests));
                    }
                }
                return rows;
            }
        });
    }
}
