package io.aichatbot.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work run on a connection the caller does not own. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
