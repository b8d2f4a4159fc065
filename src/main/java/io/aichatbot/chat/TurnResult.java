package io.aichatbot.chat;

import io.aichatbot.llm.ModelFailure;

/**
 * How a turn ended: the reply as committed, and for a failed one the upstream failure.
 *
 * @param failure null unless the reply's status is FAILED
 */
public record TurnResult(Message reply, ModelFailure failure) {

    /** Stable error codes for upstream failures, shared by the JSON and streaming APIs. */
    public static String errorCode(ModelFailure failure) {
        return switch (failure.kind()) {
            case TIMEOUT -> "upstream_timeout";
            case RATE_LIMITED -> "upstream_rate_limited";
            case AUTH -> "upstream_auth_failed";
            case BAD_REQUEST -> "upstream_rejected";
            case SERVER_ERROR -> "upstream_error";
            case CONNECT -> "upstream_unavailable";
            case PROTOCOL -> "upstream_protocol_error";
            case CANCELLED -> "cancelled";
            case BUSY -> "upstream_busy";
        };
    }
}
