package io.aichatbot.metrics;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the process's resources on a schedule into a bounded ring (the admin view's history)
 * and warns once per episode when a threshold is crossed: the warning is logged when a sample
 * goes over, and again only after a sample has come back under. Thread-safe.
 */
public final class ResourceSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResourceSampler.class);

    /** One sample: the figures of the admin view. */
    public record Sample(long epochMillis, long heapUsedBytes, long heapMaxBytes, long rssBytes, double processCpu,
                         int threads, long openFiles, Map<String, Number> app) {}

    /** Thresholds; zero disables one. Growth is measured across the whole kept history. */
    public record Thresholds(long rssBytes, long openFiles, long rssGrowthBytesPerHour) {

        public Thresholds(long rssBytes, long openFiles) {
            this(rssBytes, openFiles, 0);
        }
    }

    private final InstantSource clock;
    private final int capacity;
    private final Thresholds thresholds;
    private final Map<String, Supplier<Number>> appFigures;
    private final ArrayDeque<Sample> history;
    private final ScheduledExecutorService scheduler;
    private boolean rssOver;
    private boolean filesOver;
    private boolean growing;
    private final java.util.function.Consumer<String> alert;
    /** Run after every sample, on the sampler's thread (e.g. {@link IdleMemory#tick}). */
    private final List<Runnable> afterSample = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ResourceSampler(InstantSource clock, Duration interval, int capacity, Thresholds thresholds,
                           Map<String, Supplier<Number>> appFigures) {
        this(clock, interval, capacity, thresholds, appFigures, message -> log.warn(message));
    }

    /**
     * @param interval zero takes no samples on its own (tests feed {@link #record})
     * @param alert    where threshold warnings go (the log, in production)
     */
    ResourceSampler(InstantSource clock, Duration interval, int capacity, Thresholds thresholds,
                    Map<String, Supplier<Number>> appFigures, java.util.function.Consumer<String> alert) {
        this.alert = alert;
        this.clock = clock;
        this.capacity = capacity;
        this.thresholds = thresholds;
        this.appFigures = new LinkedHashMap<>(appFigures);
        this.history = new ArrayDeque<>(capacity);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("resource-sampler").daemon(true).factory());
        if (!interval.isZero()) {
            scheduler.scheduleAtFixedRate(this::sampleSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The current figures, taken now. */
    public Sample now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        var os = ManagementFactory.getOperatingSystemMXBean();
        double cpu = os instanceof OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
        long files = os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
        Map<String, Number> app = new LinkedHashMap<>();
        appFigures.forEach((name, value) -> app.put(name, value.get()));
        return new Sample(clock.millis(), heap.getUsed(), heap.getMax(), rss(), cpu,
                ManagementFactory.getThreadMXBean().getThreadCount(), files, app);
    }

    public synchronized List<Sample> history() {
        return List.copyOf(history);
    }

    /** Runs {@code task} on the sampler's thread after each sample; set up at start. */
    public void afterEachSample(Runnable task) {
        afterSample.add(task);
    }

    private void sampleSafely() {
        // An exception escaping a scheduled task cancels all its later runs: log and carry on.
        try {
            record(now());
        } catch (RuntimeException e) {
            log.warn("resource sample failed", e);
        }
        for (Runnable task : afterSample) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("after-sample task failed", e);
            }
        }
    }

    /** Keeps a sample in the bounded history and checks the thresholds against it. */
    void record(Sample sample) {
        synchronized (this) {
            if (history.size() == capacity) {
                history.removeFirst();
            }
            history.addLast(sample);
        }
        checkThresholds(sample);
        checkGrowth();
    }

    private void checkThresholds(Sample sample) {
        boolean rss = thresholds.rssBytes() > 0 && sample.rssBytes() > thresholds.rssBytes();
        if (rss && !rssOver) {
            alert.accept("resident memory " + (sample.rssBytes() >> 20) + " MiB is over the threshold of "
                    + (thresholds.rssBytes() >> 20) + " MiB");
        }
        rssOver = rss;
        boolean files = thresholds.openFiles() > 0 && sample.openFiles() > thresholds.openFiles();
        if (files && !filesOver) {
            alert.accept(sample.openFiles() + " open file descriptors, over the threshold of " + thresholds.openFiles());
        }
        filesOver = files;
    }

    /** A steady climb across the history window is how a leak shows before it kills the process. */
    private void checkGrowth() {
        Sample oldest;
        Sample newest;
        synchronized (this) {
            if (history.size() < 2 || thresholds.rssGrowthBytesPerHour() <= 0) {
                return;
            }
            oldest = history.getFirst();
            newest = history.getLast();
        }
        long span = newest.epochMillis() - oldest.epochMillis();
        if (span < 60_000) {
            return; // too short a window to call it a trend
        }
        double perHour = (newest.rssBytes() - oldest.rssBytes()) * 3_600_000.0 / span;
        boolean over = perHour > thresholds.rssGrowthBytesPerHour();
        if (over && !growing) {
            alert.accept("resident memory grew " + ((long) perHour >> 20) + " MiB/hour over the last " + span / 60_000
                    + " min, over the threshold of " + (thresholds.rssGrowthBytesPerHour() >> 20) + " MiB/hour");
        }
        growing = over;
    }

    /** Resident set size from /proc (Linux); -1 elsewhere. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
