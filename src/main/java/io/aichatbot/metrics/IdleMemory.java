package io.aichatbot.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Hands memory back when the server goes quiet.
 *
 * <p>Why: the serial collector only resizes the heap at a full GC, a step at a time, and an idle
 * server allocates nothing, so no GC ever runs: whatever a busy hour grew the heap to would stay
 * resident until the next busy hour. (G1 has {@code G1PeriodicGCInterval} for this; the serial
 * collector has nothing.) Once no turn has started or run for {@code quietFor}, this asks for a
 * full GC on each tick while the committed heap keeps shrinking (at most {@link #MAX_COLLECTIONS}
 * times), then waits for the next busy period. The JVM's malloc trimming then returns the freed
 * native memory too.
 *
 * <p>Driven by the resource sampler's schedule: {@link #tick} is called from one thread only.
 */
public final class IdleMemory {

    static final int MAX_COLLECTIONS = 6;

    private final InstantSource clock;
    private final Duration quietFor;
    private final LongSupplier turnsStarted;
    private final IntSupplier turnsRunning;
    private final LongSupplier committedHeap;
    private final Runnable collect;
    private long lastSeen = -1;
    private Instant quietSince;
    private int collections;
    private boolean settled;

    /**
     * @param quietFor      how long without turns counts as idle; zero disables
     * @param turnsStarted  a count that moves whenever a turn starts
     * @param committedHeap bytes of heap the JVM holds from the OS
     * @param collect       a full GC ({@code System::gc} in production)
     */
    public IdleMemory(InstantSource clock, Duration quietFor, LongSupplier turnsStarted, IntSupplier turnsRunning,
                      LongSupplier committedHeap, Runnable collect) {
        this.clock = clock;
        this.quietFor = quietFor;
        this.turnsStarted = turnsStarted;
        this.turnsRunning = turnsRunning;
        this.committedHeap = committedHeap;
        this.collect = collect;
    }

    public void tick() {
        if (quietFor.isZero()) {
            return;
        }
        long seen = turnsStarted.getAsLong();
        if (seen != lastSeen || turnsRunning.getAsInt() > 0) {
            lastSeen = seen;
            quietSince = clock.instant();
            collections = 0;
            settled = false;
            return;
        }
        if (settled || clock.instant().isBefore(quietSince.plus(quietFor))) {
            return;
        }
        long before = committedHeap.getAsLong();
        collect.run();
        collections++;
        if (committedHeap.getAsLong() >= before || collections >= MAX_COLLECTIONS) {
            settled = true; // nothing more to give back until the next busy period
        }
    }

    /** Full GCs asked for in the current quiet period (for tests and the resource view). */
    public int collections() {
        return collections;
    }
}
