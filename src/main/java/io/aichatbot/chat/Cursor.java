package io.aichatbot.chat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors. A cursor is the sort key of the last row of a page, base64url-encoded
 * so clients treat it as a token and cannot hand-craft offsets.
 */
public final class Cursor {

    private Cursor() {}

    /** Conversations sort by (updatedAt desc, id desc). */
    public record ConversationKey(long updatedAtMillis, String id) {}

    public static String encode(ConversationKey key) {
        return encode("c:" + key.updatedAtMillis() + ":" + key.id());
    }

    public static ConversationKey decodeConversation(String cursor) {
        String raw = decode(cursor);
        String[] parts = raw.split(":", 3);
        if (parts.length != 3 || !parts[0].equals("c") || !Ids.isValid(parts[2])) {
            throw invalid();
        }
        try {
            return new ConversationKey(Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** Messages sort by their per-conversation sequence number. */
    public static String encodeSeq(long seq) {
        return encode("m:" + seq);
    }

    public static long decodeSeq(String cursor) {
        String raw = decode(cursor);
        if (!raw.startsWith("m:")) {
            throw invalid();
        }
        try {
            long seq = Long.parseLong(raw.substring(2));
            if (seq < 0) {
                throw invalid();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor.length() > 200) {
            throw invalid();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ChatException invalid() {
        return new ChatException(ChatError.INVALID_CURSOR, "cursor is not one this server issued");
    }
}
