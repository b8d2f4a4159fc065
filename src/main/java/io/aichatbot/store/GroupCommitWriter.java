package io.aichatbot.store;

import io.aichatbot.chat.ChatError;
import io.aichatbot.chat.ChatException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite writes: one writer thread with one connection, committing queued work in groups.
 *
 * <p>Design note. SQLite allows one writer at a time; many connections competing for the write
 * lock is what produces "database is locked". Here only this thread writes, so that error
 * cannot reach a client. Work that arrives while a commit is in flight waits in a bounded queue
 * and the next transaction takes all of it (up to {@link #MAX_BATCH}): one fsync then covers
 * many appends (group commit). Each unit runs inside its own savepoint, so one failing unit
 * rolls back alone, and no caller is answered before the shared COMMIT has returned. A full
 * queue is refused at once (STORE_BUSY, 503) rather than letting waiters pile up unbounded.
 * When nothing is queued and no commit is running, a caller commits its unit itself under the
 * same connection lock (no hand-off); the writer thread is there for when writes overlap.
 */
final class GroupCommitWriter implements Writer {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    static final int MAX_BATCH = 128;

    private record Job<T>(SqlWork<T> work, CompletableFuture<T> result) {}

    private final Connection connection;
    private final BlockingQueue<Job<?>> queue;
    private final Thread thread;
    /** Held by whoever uses the connection: the writer thread for a batch, or a caller writing inline. */
    private final ReentrantLock connectionLock = new ReentrantLock();
    private volatile boolean closed;

    GroupCommitWriter(Connection connection, int queueCapacity) throws SQLException {
        this.connection = connection;
        this.connection.setAutoCommit(false);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().name("sqlite-writer").daemon(true).start(this::loop);
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        if (closed) {
            throw new StoreException("database is closed", null);
        }
        var job = new Job<>(work, new CompletableFuture<T>());
        // Nothing queued and nobody committing: run the unit on the caller's thread. At low load
        // this saves two thread hand-offs (to the writer and back) per write, and the wake-ups
        // that make the tail latency on a busy machine. Under load the queue is never empty, so
        // writes go to the writer thread and share its group commits as before.
        // (The caller's carrier thread is pinned for the commit's fsync; at low load there are
        // carriers to spare.)
        boolean ranInline = false;
        if (queue.isEmpty() && connectionLock.tryLock()) {
            try {
                if (queue.isEmpty() && !closed) {
                    commitAlone(job);
                    ranInline = true;
                }
            } finally {
                connectionLock.unlock();
            }
        }
        if (ranInline) {
            return await(job);
        }
        if (!queue.offer(job)) {
            throw new ChatException(ChatError.STORE_BUSY, "the database is overloaded; try again shortly");
        }
        return await(job);
    }

    private static <T> T await(Job<T> job) {
        try {
            return job.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a commit (it may still commit)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("database write failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public int queued() {
        return queue.size();
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Job<?> first = closed ? queue.poll() : queue.take();
                if (first == null) {
                    continue;
                }
                batch.add(first);
                connectionLock.lock();
                try {
                    queue.drainTo(batch, MAX_BATCH - 1);
                    commit(batch);
                } finally {
                    connectionLock.unlock();
                }
            } catch (InterruptedException e) {
                // close() interrupts a take(); the loop condition drains what is left, then ends
            } catch (RuntimeException e) {
                log.error("writer loop failed; continuing", e); // an escaped exception would stop all writes
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Job<?>> batch) {
        if (batch.size() == 1) {
            commitAlone(batch.getFirst());
            return;
        }
        List<Object> results = new ArrayList<>(batch.size());
        for (Job<?> job : batch) {
            results.add(runInSavepoint(job));
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            var failure = new StoreException("commit failed: " + e.getMessage(), e);
            batch.forEach(job -> job.result().completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    /**
     * A unit with nobody to share its transaction (the usual case at low load) needs no savepoint:
     * if it fails, rolling the whole transaction back undoes exactly that unit. Two statements
     * fewer per write.
     */
    private void commitAlone(Job<?> job) {
        Object result;
        try {
            result = job.work().run(connection);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            complete(job, new Failure(e));
            return;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            job.result().completeExceptionally(new StoreException("commit failed: " + e.getMessage(), e));
            return;
        }
        complete(job, result);
    }

    /** Returns the unit's result, or a Failure holding the exception it threw. */
    private Object runInSavepoint(Job<?> job) {
        Savepoint savepoint = null;
        try {
            savepoint = connection.setSavepoint();
            Object result = job.work().run(connection);
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (SQLException | RuntimeException e) {
            if (savepoint != null) {
                try {
                    connection.rollback(savepoint);
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            return new Failure(e);
        }
    }

    private record Failure(Exception exception) {}

    @SuppressWarnings("unchecked")
    private static <T> void complete(Job<T> job, Object result) {
        if (result instanceof Failure(Exception e)) {
            job.result().completeExceptionally(e instanceof SQLException sql
                    ? new StoreException("database write failed: " + sql.getMessage(), sql) : e);
        } else {
            job.result().complete((T) result);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("rollback failed", e);
        }
    }

    /** Finishes queued work, then closes the connection. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connectionLock.lock(); // an inline write may still be committing
        try {
            try (Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("PRAGMA optimize");
            } catch (SQLException e) {
                log.debug("optimize at close failed", e);
            }
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("closing the writer connection failed", e);
            }
        } finally {
            connectionLock.unlock();
        }
    }
}
