package io.aichatbot.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes a comment to every event stream that has been quiet for one interval. While the model
 * is thinking nothing else is written, so without this a closed tab would go unnoticed until
 * the answer's first token; with it, the running turn is cancelled within about two intervals.
 *
 * <p>One scheduler thread for all streams; the write itself runs on a virtual thread so a
 * client that stopped reading cannot stall the others.
 */
final class Heartbeats implements AutoCloseable {

    record Registration(SseStream stream, Runnable onClientGone) {}

    private final Set<Registration> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;

    Heartbeats(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sse-heartbeat").daemon(true).factory());
        long periodMillis = Math.max(50, interval.toMillis() / 2);
        scheduler.scheduleAtFixedRate(this::beat, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    Registration register(SseStream stream, Runnable onClientGone) {
        var registration = new Registration(stream, onClientGone);
        streams.add(registration);
        return registration;
    }

    void unregister(Registration registration) {
        streams.remove(registration);
    }

    int size() {
        return streams.size();
    }

    private void beat() {
        try {
            for (Registration registration : streams) {
                SseStream stream = registration.stream();
                if (stream.idleNanos() < intervalNanos || !stream.tryLockForHeartbeat()) {
                    continue; // recently written, or a write is under way: that write will notice a dead client
                }
                stream.unlockAfterHeartbeat();
                Thread.startVirtualThread(() -> {
                    try {
                        stream.heartbeat();
                    } catch (IOException gone) {
                        registration.onClientGone().run();
                    }
                });
            }
        } catch (RuntimeException e) {
            // An exception escaping a scheduled task cancels all its later runs: log and carry on.
            org.slf4j.LoggerFactory.getLogger(Heartbeats.class).warn("heartbeat round failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
