package io.aichatbot.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that another thread makes true (a cancelled stream being saved, a socket closing). */
public final class Eventually {

    private Eventually() {}

    public static void within(Duration limit, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
