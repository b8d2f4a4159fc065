package io.aichatbot.chat;

/** A refusal the client caused or can act on; never carries a stack trace to the client. */
public final class ChatException extends RuntimeException {

    private final ChatError error;

    public ChatException(ChatError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ChatError error() {
        return error;
    }

    public static ChatException notFound(String what) {
        return new ChatException(ChatError.NOT_FOUND, what + " not found");
    }
}
