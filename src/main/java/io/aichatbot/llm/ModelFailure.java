package io.aichatbot.llm;

/**
 * A typed, provider-neutral failure of one model call.
 *
 * @param kind       what went wrong, which decides the HTTP status and error code a client sees
 * @param httpStatus the upstream status, or 0 when no response was received
 * @param message    the vendor's own message (never contains the API key)
 * @param requestId  the vendor's request id header when it sent one, else null
 * @param retryAfter how long the provider asked us to wait (its Retry-After header), else null
 */
public record ModelFailure(Kind kind, int httpStatus, String message, String requestId, java.time.Duration retryAfter) {

    public ModelFailure(Kind kind, int httpStatus, String message, String requestId) {
        this(kind, httpStatus, message, requestId, null);
    }

    /** Failure families; {@link #retriable()} says whether trying again can help. */
    public enum Kind {
        /** Could not connect or the connection broke before a response. */
        CONNECT(true),
        /** No first token, a gap between tokens, or the total time exceeded its limit. */
        TIMEOUT(true),
        /** 429 from upstream. */
        RATE_LIMITED(true),
        /** 5xx from upstream, or an error event inside a stream that says overloaded/server. */
        SERVER_ERROR(true),
        /** 401/403: the key is wrong or lacks access. */
        AUTH(false),
        /** 400/404/413/422: the request itself is wrong (unknown model, too long...). */
        BAD_REQUEST(false),
        /** The response was not in the documented format, or the stream ended without its end marker. */
        PROTOCOL(true),
        /** The caller closed the stream (stop button, disconnected client, shutdown). */
        CANCELLED(false),
        /** No capacity here: every deployment is at its concurrency limit or its breaker is open. */
        BUSY(true);

        private final boolean retriable;

        Kind(boolean retriable) {
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    public ModelFailure {
        message = message == null ? kind.name().toLowerCase() : message;
    }

    public boolean retriable() {
        return kind.retriable();
    }

    /** This failure with the provider's request id, if it has none of its own. */
    public ModelFailure orRequestId(String id) {
        return requestId != null || id == null ? this : new ModelFailure(kind, httpStatus, message, id, retryAfter);
    }

    public static ModelFailure of(Kind kind, String message) {
        return new ModelFailure(kind, 0, message, null);
    }

    /** Maps an upstream HTTP status to a failure kind, the same way for every vendor. */
    /** Parses a Retry-After header: delta-seconds or an HTTP date; null when absent or unreadable. */
    public static java.time.Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return java.time.Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                var when = java.time.ZonedDateTime.parse(header.strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                var wait = java.time.Duration.between(java.time.Instant.now(), when.toInstant());
                return wait.isNegative() ? java.time.Duration.ZERO : wait;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    public static Kind kindForStatus(int status) {
        return switch (status) {
            case 401, 403 -> Kind.AUTH;
            case 408, 504 -> Kind.TIMEOUT; // 504: a gateway gave up waiting for the model
            case 429 -> Kind.RATE_LIMITED;
            default -> status >= 500 ? Kind.SERVER_ERROR : Kind.BAD_REQUEST;
        };
    }
}
