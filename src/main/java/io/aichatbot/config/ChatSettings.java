package io.aichatbot.config;

/**
 * The bounds that keep memory and storage flat.
 *
 * @param maxMessageBytes            largest user message (UTF-8 bytes); also caps a stored reply
 * @param maxMessagesPerConversation stored messages per conversation; a turn that would pass it
 *                                   is refused with 409 conversation_full (nothing is deleted)
 * @param maxContextMessages         most messages read back to build one prompt, whatever the budget
 * @param systemPrompt               sent first in every prompt, always kept
 */
public record ChatSettings(int maxMessageBytes, long maxMessagesPerConversation, int maxContextMessages,
                           String systemPrompt) {

    public ChatSettings {
        if (maxMessageBytes < 16) {
            throw new IllegalArgumentException("chat.max-message-bytes must be at least 16, was " + maxMessageBytes);
        }
        if (maxMessagesPerConversation < 2) {
            throw new IllegalArgumentException("chat.max-messages-per-conversation must be at least 2");
        }
        if (maxContextMessages < 1) {
            throw new IllegalArgumentException("chat.max-context-messages must be at least 1");
        }
    }
}
