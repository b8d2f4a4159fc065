package io.aichatbot.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bounded queue with a fixed number of workers, for work that must not sit on a request's
 * path (usage accounting, archiving). {@link #offer} never blocks: a full queue answers false
 * at once, so the producer decides (nothing is dropped silently). Nothing a user was told is
 * saved depends on this queue. On close it drains within a grace period and reports what it
 * could not finish. Thread-safe.
 */
public final class BackgroundQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundQueue.class);

    private record Task(String kind, Runnable work, long enqueuedNanos) {}

    private final BlockingQueue<Task> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Counter rejected;
    private final Counter failed;
    private final Timer latency;

    public BackgroundQueue(int capacity, int workerCount, MeterRegistry registry) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.rejected = Counter.builder("queue.tasks.rejected").description("tasks refused because the queue was full").register(registry);
        this.failed = Counter.builder("queue.tasks.failed").description("tasks that threw").register(registry);
        this.latency = Timer.builder("queue.task.latency").description("enqueue to completion").register(registry);
        Gauge.builder("queue.depth", queue, BlockingQueue::size).description("tasks waiting").register(registry);
        Gauge.builder("queue.capacity", () -> capacity).description("the queue's bound").register(registry);
        for (int i = 0; i < workerCount; i++) {
            workers.add(Thread.ofPlatform().name("background-" + i).daemon(true).start(this::work));
        }
    }

    /** Queues a task; false at once if the queue is full or closing. */
    public boolean offer(String kind, Runnable work) {
        if (closing.get() || !queue.offer(new Task(kind, work, System.nanoTime()))) {
            rejected.increment();
            return false;
        }
        return true;
    }

    private void work() {
        while (true) {
            Task task;
            try {
                task = closing.get() ? queue.poll() : queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (task == null) {
                if (closing.get()) {
                    return;
                }
                continue;
            }
            try {
                task.work().run();
            } catch (RuntimeException e) {
                failed.increment();
                log.warn("background task {} failed", task.kind(), e); // a worker never dies of a task
            } finally {
                latency.record(System.nanoTime() - task.enqueuedNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Stops taking tasks, lets the workers drain for up to {@code grace}, reports leftovers. */
    public int close(Duration grace) {
        closing.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread worker : workers) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    worker.join(Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // What is still queued now is abandoned, not run later: the report must stay true.
        List<Task> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        if (!abandoned.isEmpty()) {
            log.warn("background queue closed with {} unfinished task(s)", abandoned.size());
        }
        workers.forEach(Thread::interrupt);
        return abandoned.size();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
