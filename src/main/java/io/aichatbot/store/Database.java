package io.aichatbot.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aichatbot.config.DatabaseSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database: a read pool, the single write path, and the migrations. Thread-safe.
 *
 * <p>Bounds: reads hold at most {@code poolSize} connections (Hikari waits up to 5 s for one,
 * then the request fails with 503); SQLite writes queue for the one writer thread; PostgreSQL
 * writes share the pool.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int WRITE_QUEUE = 4096;

    private final Dialect dialect;
    private final HikariDataSource pool;
    private final Writer writer;
    private final AutoCloseable fileLock;
    private DataSource sqliteUpkeepSource;

    public enum Dialect { SQLITE, POSTGRESQL }

    private Database(Dialect dialect, HikariDataSource pool, Writer writer, AutoCloseable fileLock) {
        this.dialect = dialect;
        this.pool = pool;
        this.writer = writer;
        this.fileLock = fileLock;
    }

    /** Opens the pool, runs pending migrations, and starts the write path. */
    public static Database open(DatabaseSettings settings) {
        return settings.isSqlite() ? openSqlite(settings) : openPostgres(settings);
    }

    private static Database openSqlite(DatabaseSettings settings) {
        String url = settings.url();
        String file = url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "");
        AutoCloseable lock = () -> {};
        if (!file.isEmpty() && !file.equals(":memory:") && !file.startsWith("file:")) {
            lock = lockDatabaseFile(Path.of(file));
        }
        SQLiteDataSource migrations = sqliteSource(url, 8000, settings);
        migrate(migrations, "sqlite", null);
        try {
            Connection writeConnection = sqliteSource(url, 4000, settings).getConnection();
            try (Statement statement = writeConnection.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint=0"); // SqliteCheckpointer does it off the write path
            }
            var writer = new GroupCommitWriter(writeConnection, WRITE_QUEUE);
            var checkpointer = new SqliteCheckpointer(sqliteSource(url, 256, settings).getConnection(), Duration.ofMillis(500));
            HikariConfig config = poolConfig(settings, "sqlite-read");
            config.setDataSource(sqliteSource(url, 2000, settings));
            AutoCloseable fileLock = lock;
            // Order on close: the writer drains, the checkpointer folds the WAL in, then the lock goes.
            var database = new Database(Dialect.SQLITE, new HikariDataSource(config), writer, () -> {
                checkpointer.close();
                fileLock.close();
            });
            database.sqliteUpkeepSource = sqliteSource(url, 2000, settings);
            return database;
        } catch (SQLException e) {
            throw new StoreException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * WAL lets readers run beside the writer; synchronous=FULL makes a commit durable across a
     * power cut, not only a crash (group commit pays for the extra fsync); busy_timeout covers
     * the short moments a checkpoint holds a lock.
     */
    private static SQLiteDataSource sqliteSource(String url, int cacheKib, DatabaseSettings settings) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(settings.sqliteSynchronous()));
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setCacheSize(-cacheKib); // negative = KiB: bounds native memory per connection
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    /** Two processes on one SQLite file would each think they own every turn lease; refuse the second. */
    private static AutoCloseable lockDatabaseFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            FileChannel channel = FileChannel.open(parent.resolve(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new StoreException("another AIChatBot process is using " + file
                        + "; stop it, or give this one another data directory", null);
            }
            return () -> {
                lock.release();
                channel.close();
            };
        } catch (IOException e) {
            throw new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static Database openPostgres(DatabaseSettings settings) {
        HikariConfig config = poolConfig(settings, "postgres");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        if (settings.schema() != null) {
            createSchema(settings);
            config.setSchema(settings.schema());
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            migrate(pool, "postgresql", settings.schema());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(Dialect.POSTGRESQL, pool, new PooledWriter(pool), () -> {});
    }

    private static void createSchema(DatabaseSettings settings) {
        if (!settings.schema().matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("db.schema must be a lower-case SQL identifier, was " + settings.schema());
        }
        try (Connection connection = java.sql.DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + settings.schema());
        } catch (SQLException e) {
            throw new StoreException("cannot create schema " + settings.schema() + ": " + e.getMessage(), e);
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1); // idle servers keep one connection, not the whole pool
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(5_000);
        return config;
    }

    private static void migrate(DataSource source, String dialect, String schema) {
        Migrations.migrate(source, dialect, schema);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** True when this process is the only one that can use the database (embedded SQLite). */
    public boolean isEmbedded() {
        return dialect == Dialect.SQLITE;
    }

    public <T> T read(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    public <T> T write(SqlWork<T> work) {
        return writer.write(work);
    }

    /** A cheap round trip, for readiness checks. */
    public boolean ping() {
        try {
            return read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.execute("SELECT 1");
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    public HikariDataSource pool() {
        return pool;
    }

    /**
     * Statistics and space upkeep. SQLite: {@code PRAGMA optimize}, a TRUNCATE checkpoint, and
     * VACUUM only when over a quarter of the file is free pages (it rewrites the whole file and
     * holds the write lock meanwhile). PostgreSQL: ANALYZE of the chat tables (autovacuum does the
     * rest). Runs on its own connection: VACUUM cannot run inside the writer's transactions.
     */
    public String upkeep() {
        if (dialect == Dialect.POSTGRESQL) {
            return write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ANALYZE conversations");
                    statement.execute("ANALYZE messages");
                    statement.execute("ANALYZE feedback");
                }
                return "analyzed conversations, messages, feedback";
            });
        }
        try (Connection connection = sqliteUpkeepSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA optimize");
            long pages;
            long free;
            try (var row = statement.executeQuery("PRAGMA page_count")) {
                pages = row.next() ? row.getLong(1) : 0;
            }
            try (var row = statement.executeQuery("PRAGMA freelist_count")) {
                free = row.next() ? row.getLong(1) : 0;
            }
            boolean vacuum = pages > 0 && free * 4 > pages;
            if (vacuum) {
                statement.execute("VACUUM");
            }
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            return "optimized; " + free + " of " + pages + " pages free" + (vacuum ? "; vacuumed" : "; no vacuum needed");
        } catch (SQLException e) {
            throw new StoreException("SQLite upkeep failed: " + e.getMessage(), e);
        }
    }

    /** Writes waiting for the SQLite writer thread (0 on PostgreSQL). */
    public int queuedWrites() {
        return writer.queued();
    }

    @Override
    public void close() {
        writer.close();
        pool.close();
        try {
            fileLock.close();
        } catch (Exception e) {
            log.warn("releasing the database lock failed", e);
        }
    }
}
