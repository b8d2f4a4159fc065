package io.aichatbot.chat;

/**
 * Conservative token counts without a vendor tokenizer.
 *
 * <p>BPE tokenizers average about 4 characters per token on English and about one token per
 * CJK character (3 UTF-8 bytes). Counting one token per 3 UTF-8 bytes over-estimates English
 * by roughly a quarter and is about right for CJK, so a prompt cut to this estimate fits the
 * real window; the 4-token overhead is the per-message framing chat formats add.
 */
public final class TokenEstimator {

    static final int MESSAGE_OVERHEAD = 4;

    private TokenEstimator() {}

    public static int estimate(String text) {
        return (utf8Length(text) + 2) / 3 + MESSAGE_OVERHEAD;
    }

    /** UTF-8 length without allocating a byte array (messages can be large). */
    public static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
