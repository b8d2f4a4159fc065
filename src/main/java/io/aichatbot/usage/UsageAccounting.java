package io.aichatbot.usage;

import io.aichatbot.chat.Message;
import io.aichatbot.chat.TurnObserver;
import io.aichatbot.jobs.BackgroundQueue;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the usage rollups up to date as turns end, off the request path: each ended turn is one
 * upsert on the background queue. When the queue is full the producer learns it at once and does
 * the upsert itself, so usage is never silently lost (the reply itself was saved before this).
 */
public final class UsageAccounting implements TurnObserver {

    private static final Logger log = LoggerFactory.getLogger(UsageAccounting.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final UsageStore store;
    private final BackgroundQueue queue;
    private final AtomicLong inline = new AtomicLong();

    public UsageAccounting(UsageStore store, BackgroundQueue queue) {
        this.store = store;
        this.queue = queue;
    }

    @Override
    public void turnStarted(String model, String provider) {}

    @Override
    public void turnEnded(Outcome outcome) {
        var delta = new UsageStore.UsageDelta(DAY.format(outcome.endedAt()), outcome.userId(), outcome.model(),
                outcome.status() == Message.Status.FAILED, nullToZero(outcome.inputTokens()), nullToZero(outcome.outputTokens()),
                outcome.costMicros() == null ? 0 : outcome.costMicros(), outcome.durationMs());
        if (!queue.offer("usage", () -> store.add(delta))) {
            if (inline.getAndIncrement() % 1000 == 0) {
                log.warn("background queue full: recording usage on the request path ({} time(s) so far)", inline.get());
            }
            store.add(delta);
        }
    }

    private static long nullToZero(Integer value) {
        return value == null ? 0 : value;
    }
}
