package io.aichatbot.jobs;

import io.aichatbot.chat.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maintenance jobs on a schedule, each under a database lease (one instance at a time),
 * each run logged. Time comes from an {@link InstantSource}, so tests move a clock and call
 * {@link #runNow} instead of sleeping. Thread-safe.
 */
public final class JobScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    /** A job and how often it runs. */
    public record Scheduled(Job job, Duration every) {}

    private final JobStore store;
    private final InstantSource clock;
    private final String owner;
    private final Duration leaseLength;
    private final Map<String, Scheduled> jobs = new LinkedHashMap<>();
    private final MeterRegistry registry;
    private ScheduledExecutorService scheduler;

    public JobScheduler(JobStore store, InstantSource clock, String owner, Duration leaseLength, List<Scheduled> jobs) {
        this(store, clock, owner, leaseLength, jobs, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    public JobScheduler(JobStore store, InstantSource clock, String owner, Duration leaseLength, List<Scheduled> jobs,
                        MeterRegistry registry) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.owner = owner;
        this.leaseLength = leaseLength;
        jobs.forEach(s -> this.jobs.put(s.job().name(), s));
    }

    /** Starts the schedule: the first run of each job after one period, then every period. */
    public synchronized JobScheduler start() {
        store.markInterruptedRuns(clock.instant());
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("jobs").daemon(true).factory());
        for (Scheduled scheduled : jobs.values()) {
            long period = scheduled.every().toMillis();
            scheduler.scheduleWithFixedDelay(() -> runSafely(scheduled.job().name()), period, period, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public List<String> names() {
        return List.copyOf(jobs.keySet());
    }

    /**
     * Runs a job now on the calling thread. Empty when another run (here or on another
     * instance) holds its lease.
     */
    public Optional<JobRun> runNow(String name) {
        Scheduled scheduled = jobs.get(name);
        if (scheduled == null) {
            throw new IllegalArgumentException("no job named " + name);
        }
        Instant now = clock.instant();
        if (!store.tryLease(name, owner, now, now.plus(leaseLength))) {
            return Optional.empty();
        }
        String runId = Ids.newId(now.toEpochMilli());
        try {
            store.runStarted(new JobRun(runId, name, owner, now, null, null, "running", null));
            long rows;
            String outcome;
            String message;
            try {
                Job.Result result = scheduled.job().run(now);
                rows = result.rowsTouched();
                outcome = "ok";
                message = result.message();
            } catch (RuntimeException e) {
                log.error("job {} failed", name, e);
                rows = 0;
                outcome = "failed";
                message = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            Instant ended = clock.instant();
            store.runEnded(runId, ended, rows, outcome, message);
            // Job names come from code, outcomes from a fixed set: bounded labels.
            Counter.builder("jobs.runs").description("maintenance job runs by outcome")
                    .tags("job", name, "outcome", outcome).register(registry).increment();
            Counter.builder("jobs.rows").description("rows touched by maintenance jobs")
                    .tags("job", name).register(registry).increment(rows);
            Timer.builder("jobs.run.duration").description("maintenance job run time (clock time)")
                    .tags("job", name).register(registry).record(Duration.between(now, ended));
            return Optional.of(new JobRun(runId, name, owner, now, ended, rows, outcome, message));
        } finally {
            store.releaseLease(name, owner);
        }
    }

    private void runSafely(String name) {
        // An exception escaping a scheduled task cancels all its later runs: catch everything.
        try {
            runNow(name).ifPresent(run -> log.info("job {}: {} ({} rows) {}", name, run.outcome(), run.rowsTouched(),
                    run.message()));
        } catch (RuntimeException e) {
            log.error("job {} could not run", name, e);
        }
    }

    public List<JobRun> recentRuns(int limit) {
        return store.recentRuns(limit);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
