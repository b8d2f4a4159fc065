package io.aichatbot.chat;

/**
 * Stable error codes of the chat domain. Clients match on {@link #code()}; the web layer owns
 * the mapping to HTTP status, so this enum knows nothing of HTTP.
 */
public enum ChatError {
    NOT_FOUND("not_found"),
    INVALID_REQUEST("invalid_request"),
    INVALID_CURSOR("invalid_cursor"),
    INVALID_ID("invalid_id"),
    EMPTY_MESSAGE("empty_message"),
    MESSAGE_TOO_LARGE("message_too_large"),
    MESSAGE_TOO_LONG_FOR_MODEL("message_too_long_for_model"),
    UNKNOWN_MODEL("unknown_model"),
    NOT_AN_ASSISTANT_MESSAGE("not_an_assistant_message"),
    TURN_IN_PROGRESS("turn_in_progress"),
    NOTHING_TO_REGENERATE("nothing_to_regenerate"),
    CONVERSATION_FULL("conversation_full"),
    SHUTTING_DOWN("shutting_down"),
    STORE_BUSY("store_busy");

    private final String code;

    ChatError(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
