package io.aichatbot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;

/**
 * The memory floor of the stack the server is built on: Javalin 7 on Jetty 12 with virtual
 * threads, Jackson, HikariCP and SQLite in WAL mode, serving one JSON route that writes a row —
 * and nothing else (no metrics, migrations, providers, jobs, pages). The benchmark starts it
 * with the server's own JVM options and reports its idle RSS next to the server's, so that the
 * part of the footprint that is ours can be told from the part that comes with the frameworks.
 * Arguments: port, data directory.
 */
public final class StackFloor {

    record Note(String id, String content) {}

    public static void main(String[] args) throws Exception {
        var pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:sqlite:" + args[1] + "/floor.db");
        pool.setMaximumPoolSize(2);
        var database = new HikariDataSource(pool);
        try (var connection = database.getConnection(); var statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY, content TEXT NOT NULL)");
        }
        var json = new ObjectMapper();
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.routes.get("/health/ready", ctx -> ctx.result("ready"));
            config.routes.post("/notes", ctx -> {
                Note note = json.readValue(ctx.bodyAsBytes(), Note.class);
                try (var connection = database.getConnection();
                     var insert = connection.prepareStatement("INSERT INTO notes (id, content) VALUES (?, ?)")) {
                    insert.setString(1, note.id());
                    insert.setString(2, note.content());
                    insert.executeUpdate();
                }
                ctx.status(201).contentType("application/json").result(json.writeValueAsBytes(note));
            });
        }).start("127.0.0.1", Integer.parseInt(args[0]));
    }
}
