package io.aichatbot.usage;

import java.util.List;

/** Daily usage rollups per user and model. Thread-safe. */
public interface UsageStore {

    /** Adds one turn's figures to its (day, user, model) row, creating it if needed. */
    void add(UsageDelta delta);

    /** Rows with {@code fromDay <= day <= toDay} (yyyy-mm-dd), by day, model and user name. */
    List<UsageRow> report(String fromDay, String toDay, int limit);

    record UsageDelta(String day, String userId, String model, boolean error, long inputTokens, long outputTokens,
                      long costMicros, long latencyMs) {}

    record UsageRow(String day, String user, String model, long requests, long errors, long inputTokens,
                    long outputTokens, double costUsd, long averageLatencyMs) {}
}
