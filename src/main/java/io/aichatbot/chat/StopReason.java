package io.aichatbot.chat;

/** Why a running turn was cut short; the code is stored on the reply and sent to clients. */
public enum StopReason {
    USER_STOP("stopped"),
    CLIENT_GONE("client_disconnected"),
    SHUTDOWN("shutdown"),
    REPLY_TOO_LARGE("reply_too_large");

    private final String code;

    StopReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
