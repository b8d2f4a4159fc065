package io.aichatbot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleMemoryTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));
    final AtomicLong started = new AtomicLong();
    final AtomicInteger running = new AtomicInteger();
    final AtomicLong committed = new AtomicLong(40 << 20);
    final AtomicInteger gcs = new AtomicInteger();
    /** Each full GC gives back 8 MiB until the heap is down to 16 MiB. */
    final IdleMemory idle = new IdleMemory(clock, Duration.ofSeconds(60), started::get, running::get, committed::get, () -> {
        gcs.incrementAndGet();
        committed.set(Math.max(16 << 20, committed.get() - (8 << 20)));
    });

    void ticks(int n) {
        for (int i = 0; i < n; i++) {
            idle.tick();
            clock.advance(Duration.ofSeconds(10));
        }
    }

    @Test
    void nothingIsCollectedWhileTurnsKeepComing() {
        for (int i = 0; i < 30; i++) {
            started.incrementAndGet();
            ticks(1);
        }
        assertThat(gcs).hasValue(0);
    }

    @Test
    void aLongRunningTurnIsNotIdleness() {
        started.incrementAndGet();
        running.set(1);
        ticks(30);
        assertThat(gcs).hasValue(0);
    }

    @Test
    void onceQuietItCollectsWhileTheHeapShrinksThenStops() {
        started.incrementAndGet();
        ticks(6); // 50 s quiet: not yet
        assertThat(gcs).hasValue(0);
        ticks(10);
        // 40 → 32 → 24 → 16 MiB, then one more that gives nothing back, then no more.
        assertThat(gcs).hasValue(4);
        assertThat(committed).hasValue(16 << 20);
        ticks(30);
        assertThat(gcs).hasValue(4);
    }

    @Test
    void theNextBusyPeriodArmsItAgain() {
        started.incrementAndGet();
        ticks(20);
        int first = gcs.get();
        committed.set(48 << 20); // the heap grew under load
        started.addAndGet(100);
        ticks(1);
        assertThat(gcs).hasValue(first);
        ticks(20);
        assertThat(gcs.get()).isGreaterThan(first);
        assertThat(committed).hasValue(16 << 20);
    }

    @Test
    void neverMoreThanABoundedNumberOfCollectionsPerQuietPeriod() {
        var alwaysShrinking = new IdleMemory(clock, Duration.ofSeconds(60), started::get, running::get,
                () -> committed.addAndGet(-1), gcs::incrementAndGet);
        for (int i = 0; i < 50; i++) {
            alwaysShrinking.tick();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(gcs).hasValue(IdleMemory.MAX_COLLECTIONS);
    }

    @Test
    void zeroDisablesIt() {
        var off = new IdleMemory(clock, Duration.ZERO, started::get, running::get, committed::get, gcs::incrementAndGet);
        for (int i = 0; i < 50; i++) {
            off.tick();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(gcs).hasValue(0);
    }
}
