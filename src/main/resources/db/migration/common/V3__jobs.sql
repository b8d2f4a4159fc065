-- Scheduled maintenance. A lease row per job makes it run on one instance at a time even when
-- several servers share one PostgreSQL database; it expires, so a killed run frees it.
CREATE TABLE job_leases (
    job        TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);

-- The run log an admin reads: one row per run, written at start and completed at the end.
CREATE TABLE job_runs (
    id           TEXT PRIMARY KEY,
    job          TEXT NOT NULL,
    owner        TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    ended_at     BIGINT,
    rows_touched BIGINT,
    outcome      TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'interrupted')),
    message      TEXT
);
CREATE INDEX job_runs_started ON job_runs (started_at DESC);

-- Retention finds idle conversations without scanning them all.
CREATE INDEX conversations_updated ON conversations (updated_at);
