package io.aichatbot.jobs;

import java.time.Instant;

/** One line of the run log. */
public record JobRun(String id, String job, String owner, Instant startedAt, Instant endedAt, Long rowsTouched,
                     String outcome, String message) {}
