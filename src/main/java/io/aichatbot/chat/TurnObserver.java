package io.aichatbot.chat;

import java.time.Instant;
import java.util.List;

/**
 * What the chat domain reports about turns, for metrics and usage accounting. Implementations
 * must be cheap and thread-safe. Metrics must use only bounded values as labels (model and
 * provider names come from configuration; status and error codes from fixed sets) — the user
 * id is there for usage rollups, never for a label.
 */
public interface TurnObserver {

    /** How a turn ended. {@code firstTokenMs}, tokens and cost are null when unknown. */
    record Outcome(String userId, String model, String provider, Message.Status status, String errorCode,
                   Integer firstTokenMs, long durationMs, Integer inputTokens, Integer outputTokens, Long costMicros,
                   Instant endedAt) {}

    void turnStarted(String model, String provider);

    void turnEnded(Outcome outcome);

    TurnObserver NONE = of(List.of());

    /** Tells every observer, in order; one failing observer does not stop the others. */
    static TurnObserver of(List<TurnObserver> observers) {
        return new TurnObserver() {
            @Override
            public void turnStarted(String model, String provider) {
                for (TurnObserver observer : observers) {
                    try {
                        observer.turnStarted(model, provider);
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(TurnObserver.class).warn("turn observer failed", e);
                    }
                }
            }

            @Override
            public void turnEnded(Outcome outcome) {
                for (TurnObserver observer : observers) {
                    try {
                        observer.turnEnded(outcome);
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(TurnObserver.class).warn("turn observer failed", e);
                    }
                }
            }
        };
    }
}
