package io.aichatbot.chat;

/**
 * What the chat domain reports about turns, for metrics. Implementations must be cheap and
 * thread-safe, and must use only the bounded values given here as labels (model and provider
 * names come from configuration; status and error codes from fixed sets).
 */
public interface TurnObserver {

    void turnStarted(String model, String provider);

    /**
     * @param firstTokenMs null if no token arrived
     * @param errorCode    null for a complete reply
     */
    void turnEnded(String model, String provider, Message.Status status, String errorCode, Integer firstTokenMs,
                   long durationMs, Integer inputTokens, Integer outputTokens);

    TurnObserver NONE = new TurnObserver() {
        @Override
        public void turnStarted(String model, String provider) {}

        @Override
        public void turnEnded(String model, String provider, Message.Status status, String errorCode, Integer firstTokenMs,
                              long durationMs, Integer inputTokens, Integer outputTokens) {}
    };
}
