package io.aichatbot.llm.routing;

/**
 * A global cap on retries so they cannot snowball when a provider is down: every request adds
 * {@code ratio} of a token (up to {@code capacity}); every retry spends a whole one. With ratio
 * 0.2, retries stay under about a fifth of the traffic once the initial allowance is spent.
 * Thread-safe.
 */
public final class RetryBudget {

    private final double ratio;
    private final double capacity;
    private double tokens;

    public RetryBudget(double ratio, int capacity) {
        this.ratio = ratio;
        this.capacity = capacity;
        this.tokens = capacity;
    }

    public synchronized void onRequest() {
        tokens = Math.min(capacity, tokens + ratio);
    }

    /** True, and one token spent, if a retry may happen now. */
    public synchronized boolean tryRetry() {
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
