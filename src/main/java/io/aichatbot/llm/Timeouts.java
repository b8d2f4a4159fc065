package io.aichatbot.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * The four limits of one model call. A stalled upstream never holds a user's stream or a pooled
 * connection past them.
 *
 * @param connect       TCP/TLS connect
 * @param firstToken    from sending the request to the first answer byte (covers the prompt's processing)
 * @param betweenTokens longest silence allowed once the answer has started
 * @param total         the whole call
 */
public record Timeouts(Duration connect, Duration firstToken, Duration betweenTokens, Duration total) {

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstToken, "firstToken");
        Objects.requireNonNull(betweenTokens, "betweenTokens");
        Objects.requireNonNull(total, "total");
        for (Duration d : new Duration[] {connect, firstToken, betweenTokens, total}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(10));
    }
}
