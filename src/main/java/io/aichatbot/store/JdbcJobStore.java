package io.aichatbot.store;

import io.aichatbot.jobs.JobRun;
import io.aichatbot.jobs.JobStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Job leases and the run log on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcJobStore implements JobStore {

    private final Database database;

    public JdbcJobStore(Database database) {
        this.database = database;
    }

    @Override
    public boolean tryLease(String job, String owner, Instant now, Instant until) {
        return database.write(connection -> {
            // Take an expired lease, or create the row; a live lease (even our own) is never shared.
            try (PreparedStatement take = connection.prepareStatement(
                    "UPDATE job_leases SET owner = ?, lease_until = ? WHERE job = ? AND lease_until < ?")) {
                take.setString(1, owner);
                take.setLong(2, until.toEpochMilli());
                take.setString(3, job);
                take.setLong(4, now.toEpochMilli());
                if (take.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement create = connection.prepareStatement(
                    "INSERT INTO job_leases (job, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING")) {
                create.setString(1, job);
                create.setString(2, owner);
                create.setLong(3, until.toEpochMilli());
                return create.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void releaseLease(String job, String owner) {
        database.write(connection -> {
            try (PreparedStatement release = connection.prepareStatement("DELETE FROM job_leases WHERE job = ? AND owner = ?")) {
                release.setString(1, job);
                release.setString(2, owner);
                return release.executeUpdate();
            }
        });
    }

    @Override
    public void runStarted(JobRun run) {
        database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO job_runs (id, job, owner, started_at, outcome) VALUES (?, ?, ?, ?, 'running')")) {
                insert.setString(1, run.id());
                insert.setString(2, run.job());
                insert.setString(3, run.owner());
                insert.setLong(4, run.startedAt().toEpochMilli());
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void runEnded(String runId, Instant endedAt, long rowsTouched, String outcome, String message) {
        database.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE job_runs SET ended_at = ?, rows_touched = ?, outcome = ?, message = ? WHERE id = ?")) {
                update.setLong(1, endedAt.toEpochMilli());
                update.setLong(2, rowsTouched);
                update.setString(3, outcome);
                update.setString(4, message == null ? null : message.length() > 2000 ? message.substring(0, 2000) : message);
                update.setString(5, runId);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public int markInterruptedRuns(Instant now) {
        return database.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE job_runs SET outcome = 'interrupted', ended_at = ?
                    WHERE outcome = 'running' AND job NOT IN (SELECT job FROM job_leases WHERE lease_until >= ?)""")) {
                update.setLong(1, now.toEpochMilli());
                update.setLong(2, now.toEpochMilli());
                return update.executeUpdate();
            }
        });
    }

    @Override
    public List<JobRun> recentRuns(int limit) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT id, job, owner, started_at, ended_at, rows_touched, outcome, message
                    FROM job_runs ORDER BY started_at DESC, id DESC LIMIT ?""")) {
                select.setInt(1, limit);
                List<JobRun> runs = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        runs.add(new JobRun(row.getString("id"), row.getString("job"), row.getString("owner"),
                                Instant.ofEpochMilli(row.getLong("started_at")), Rows.instant(row, "ended_at"),
                                Rows.longOrNull(row, "rows_touched"), row.getString("outcome"), row.getString("message")));
                    }
                }
                return runs;
            }
        });
    }
}
