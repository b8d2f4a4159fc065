package io.aichatbot.store;

/** A database failure that is not the client's fault; maps to 503/500, never shows SQL to clients. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
