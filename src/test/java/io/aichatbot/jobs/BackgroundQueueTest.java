package io.aichatbot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundQueueTest {

    @Test
    void underOverloadTheProducerIsToldAtOnceAndRejectionsAreCounted() throws Exception {
        var registry = new SimpleMeterRegistry();
        var queue = new BackgroundQueue(2, 1, registry);
        var release = new CountDownLatch(1);
        var started = new CountDownLatch(1);
        queue.offer("blocker", () -> {
            started.countDown();
            await(release);
        });
        assertThat(started.await(2, TimeUnit.SECONDS)).isTrue();

        assertThat(queue.offer("a", () -> {})).isTrue();
        assertThat(queue.offer("b", () -> {})).isTrue();
        long before = System.nanoTime();
        boolean third = queue.offer("c", () -> {});

        assertThat(third).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(50));
        assertThat(registry.get("queue.tasks.rejected").counter().count()).isEqualTo(1);
        assertThat(registry.get("queue.depth").gauge().value()).isEqualTo(2);
        release.countDown();
        assertThat(queue.close(Duration.ofSeconds(2))).isZero();
    }

    @Test
    void aFailingTaskDoesNotStopTheWorkers() throws Exception {
        var registry = new SimpleMeterRegistry();
        var queue = new BackgroundQueue(10, 1, registry);
        var done = new CountDownLatch(1);
        queue.offer("boom", () -> {
            throw new IllegalStateException("boom");
        });
        queue.offer("fine", done::countDown);

        assertThat(done.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get("queue.tasks.failed").counter().count()).isEqualTo(1);
        queue.close();
    }

    @Test
    void closingDrainsWithinTheGracePeriodAndReportsWhatItCouldNotFinish() {
        var queue = new BackgroundQueue(100, 1, new SimpleMeterRegistry());
        var ran = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            queue.offer("quick", ran::incrementAndGet);
        }
        var block = new CountDownLatch(1);
        queue.offer("slow", () -> await(block));
        for (int i = 0; i < 3; i++) {
            queue.offer("stuck behind slow", ran::incrementAndGet);
        }

        int unfinished = queue.close(Duration.ofMillis(300));

        assertThat(ran.get()).isEqualTo(5);
        assertThat(unfinished).isEqualTo(3);
        assertThat(queue.offer("late", () -> {})).isFalse();
        block.countDown();
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
