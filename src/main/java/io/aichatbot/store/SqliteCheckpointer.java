package io.aichatbot.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the SQLite write-ahead log back into the database file off the write path.
 *
 * <p>By default SQLite checkpoints inside whichever COMMIT pushes the WAL past 1000 pages, so
 * every so often one user's turn pays for copying and fsyncing the whole log. The writer runs
 * with {@code wal_autocheckpoint=0} instead and this thread does a PASSIVE checkpoint (never
 * blocks readers or the writer) twice a second on its own connection, which keeps the WAL small
 * and the commit latency flat.
 */
final class SqliteCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService scheduler;

    SqliteCheckpointer(Connection connection, Duration interval) {
        this.connection = connection;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sqlite-checkpoint").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(this::checkpoint, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        // Catch everything: an exception escaping a scheduled task cancels all its later runs.
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (result.next() && result.getInt(2) > 50_000) {
                log.warn("the SQLite WAL holds {} pages; a long-running reader may be holding back checkpoints", result.getInt(2));
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("WAL checkpoint failed; will retry", e);
        }
    }

    /** Stops the schedule and folds the whole WAL into the database file. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            log.debug("final checkpoint failed", e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the checkpoint connection failed", e);
        }
    }
}
