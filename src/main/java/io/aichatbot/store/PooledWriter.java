package io.aichatbot.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * PostgreSQL writes: one transaction per call on a pooled connection. PostgreSQL handles
 * concurrent writers itself (row locks), so there is no reason to funnel them; the pool size
 * is the bound on concurrent transactions.
 */
final class PooledWriter implements Writer {

    private final DataSource pool;

    PooledWriter(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {}
}
