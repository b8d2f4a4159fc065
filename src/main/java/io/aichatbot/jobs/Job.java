package io.aichatbot.jobs;

import java.time.Instant;

/**
 * One maintenance task. A run must be idempotent and safe to kill at any point: it works in
 * small committed batches, so a killed run leaves consistent data and the next run continues.
 */
public interface Job {

    String name();

    /** Does one run's work as of {@code now}; returns rows touched and a one-line summary. */
    Result run(Instant now);

    record Result(long rowsTouched, String message) {}
}
