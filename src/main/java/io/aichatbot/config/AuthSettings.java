package io.aichatbot.config;

/** How callers are identified: one implicit local user, or bearer API keys. */
public record AuthSettings(Mode mode) {

    public enum Mode { LOCAL, TOKEN }
}
