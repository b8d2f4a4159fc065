package io.aichatbot.jobs;

import java.time.Instant;
import java.util.List;

/** Leases and the run log, in the database so that they hold across instances. Thread-safe. */
public interface JobStore {

    /** Takes the job's lease for {@code owner} until {@code until} if it is free or expired. */
    boolean tryLease(String job, String owner, Instant now, Instant until);

    void releaseLease(String job, String owner);

    void runStarted(JobRun run);

    void runEnded(String runId, Instant endedAt, long rowsTouched, String outcome, String message);

    /** Runs left "running" by a dead process, whose lease has expired, become "interrupted". */
    int markInterruptedRuns(Instant now);

    List<JobRun> recentRuns(int limit);
}
