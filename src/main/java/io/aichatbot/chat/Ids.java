package io.aichatbot.chat;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * UUIDv7 ids: random enough to be unguessable, time-ordered so index inserts land at the right
 * edge of the B-tree instead of splitting pages all over it.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {}

    public static String newId(long epochMillis) {
        long random = RANDOM.nextLong();
        long msb = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long lsb = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** True for the canonical lower-case UUID text this server issues. */
    public static boolean isValid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }
}
