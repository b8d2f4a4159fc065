package io.aichatbot.llm.routing;

import java.time.Duration;

/**
 * How a routed call retries before the first byte of the answer.
 *
 * @param maxAttempts   attempts per request, the first included (the per-request cap)
 * @param backoffBase   the first backoff; it doubles per attempt, with full jitter
 * @param backoffMax    the longest backoff
 * @param maxRetryAfter the longest Retry-After we honour by waiting; a longer one moves the call
 *                      to another deployment instead
 * @param acquireWait   how long a call may wait for a deployment with free capacity before it
 *                      fails as BUSY (503)
 */
public record RetryPolicy(int maxAttempts, Duration backoffBase, Duration backoffMax, Duration maxRetryAfter,
                          Duration acquireWait) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("routing.max-attempts must be at least 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
}
