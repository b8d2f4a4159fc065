package io.aichatbot.config;

import java.time.Duration;

/**
 * Retries, retry budget and circuit breakers, shared by every model.
 *
 * @param budgetRatio      retries allowed per request on average (0.2 = one retry per five requests)
 * @param breakerFailures  consecutive health failures (connect, timeout, 5xx, 429, cut stream) that open a breaker
 * @param breakerOpen      how long an open breaker refuses calls before it lets one probe through
 */
public record RoutingSettings(int maxAttempts, Duration backoffBase, Duration backoffMax, Duration maxRetryAfter,
                              Duration acquireWait, double budgetRatio, int breakerFailures, Duration breakerOpen) {

    public RoutingSettings {
        if (maxAttempts < 1 || breakerFailures < 1) {
            throw new IllegalArgumentException("routing.max-attempts and routing.breaker-failures must be at least 1");
        }
    }
}
