package io.aichatbot.llm;

/**
 * A typed, provider-neutral failure of one model call.
 *
 * @param kind       what went wrong, which decides the HTTP status and error code a client sees
 * @param httpStatus the upstream status, or 0 when no response was received
 * @param message    the vendor's own message (never contains the API key)
 * @param requestId  the vendor's request id header when it sent one, else null
 */
public record ModelFailure(Kind kind, int httpStatus, String message, String requestId) {

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
        CANCELLED(false);

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

    public static ModelFailure of(Kind kind, String message) {
        return new ModelFailure(kind, 0, message, null);
    }

    /** Maps an upstream HTTP status to a failure kind, the same way for every vendor. */
    public static Kind kindForStatus(int status) {
        return switch (status) {
            case 401, 403 -> Kind.AUTH;
            case 408 -> Kind.TIMEOUT;
            case 429 -> Kind.RATE_LIMITED;
            default -> status >= 500 ? Kind.SERVER_ERROR : Kind.BAD_REQUEST;
        };
    }
}
