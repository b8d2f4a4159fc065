package io.aichatbot.config;

/**
 * Where history lives.
 *
 * @param url      a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL
 * @param schema   PostgreSQL schema to use (created if missing); null means the server default
 * @param poolSize connections in the pool (readers, for SQLite; all work, for PostgreSQL)
 * @param sqliteSynchronous FULL (a commit survives power loss) or NORMAL (survives a process
 *                          crash; a power cut may lose the last commits) for SQLite in WAL mode
 */
public record DatabaseSettings(String url, String user, String password, String schema, int poolSize,
                               String sqliteSynchronous) {

    public DatabaseSettings(String url, String user, String password, String schema, int poolSize) {
        this(url, user, password, schema, poolSize, "FULL");
    }

    public DatabaseSettings {
        if (url == null || !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("db.url must start with jdbc:sqlite: or jdbc:postgresql:, was " + url);
        }
        if (!sqliteSynchronous.equals("FULL") && !sqliteSynchronous.equals("NORMAL")) {
            throw new IllegalArgumentException("db.sqlite-synchronous must be FULL or NORMAL, was " + sqliteSynchronous);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("db.pool-size must be at least 1, was " + poolSize);
        }
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", schema=" + schema + ", poolSize=" + poolSize
                + ", sqliteSynchronous=" + sqliteSynchronous + "]";
    }
}
