package io.aichatbot.app;

import io.aichatbot.config.Settings;
import io.aichatbot.config.SettingsLoader;
import io.aichatbot.store.Database;
import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.user.ApiKeys;
import io.aichatbot.user.User;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Command line: {@code serve}, {@code user add NAME}, {@code migrate}, {@code --help}. */
public final class Main {

    static final String USAGE = """
            Usage: aichatbot <command> [options]

            Commands:
              serve                 start the server (default: http://127.0.0.1:8080, SQLite under ./data, demo model)
              user add NAME [--admin]
                                    create a user and print a new API key for it (used with auth.mode=token)
              migrate               apply database migrations and exit
              --help                show this help

            Options (any setting can also come from a properties file or an AICHATBOT_* environment variable):
              --config FILE         properties file (default: ./aichatbot.properties if present)
              --host HOST           listen address (server.host), default 127.0.0.1
              --port PORT           listen port (server.port), default 8080; 0 picks a free port
              --data-dir DIR        where the embedded SQLite database lives (data-dir), default ./data
              --db-url URL          jdbc:sqlite:... or jdbc:postgresql://host:5432/db (db.url)
              --auth MODE           local (one user, loopback only) or token (bearer API keys) (auth.mode)
              --set KEY=VALUE       any other setting, e.g. --set chat.max-message-bytes=65536

            See README.md for every setting and for configuring OpenAI-compatible providers.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        List<String> positional = new ArrayList<>();
        Map<String, String> overrides = new HashMap<>();
        Path config = null;
        boolean admin = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--admin" -> admin = true;
                case "--config" -> config = Path.of(value(args, ++i, arg));
                case "--host" -> overrides.put("server.host", value(args, ++i, arg));
                case "--port" -> overrides.put("server.port", value(args, ++i, arg));
                case "--data-dir" -> overrides.put("data-dir", value(args, ++i, arg));
                case "--db-url" -> overrides.put("db.url", value(args, ++i, arg));
                case "--auth" -> overrides.put("auth.mode", value(args, ++i, arg));
                case "--set" -> {
                    String pair = value(args, ++i, arg);
                    int eq = pair.indexOf('=');
                    if (eq < 1) {
                        err.println("--set wants KEY=VALUE, got " + pair);
                        return 2;
                    }
                    overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default -> {
                    if (arg.startsWith("-")) {
                        err.println("unknown option " + arg + "\n\n" + USAGE);
                        return 2;
                    }
                    positional.add(arg);
                }
            }
        }
        if (positional.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        Settings settings;
        try {
            settings = SettingsLoader.load(config, overrides);
        } catch (IllegalArgumentException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
        return switch (positional.getFirst()) {
            case "serve" -> serve(settings);
            case "migrate" -> {
                try (Database database = Database.open(settings.database())) {
                    out.println("database is migrated (" + database.dialect().name().toLowerCase() + ")");
                }
                yield 0;
            }
            case "user" -> {
                if (positional.size() != 3 || !positional.get(1).equals("add")) {
                    err.println("usage: aichatbot user add NAME [--admin]");
                    yield 2;
                }
                yield addUser(settings, positional.get(2), admin, out, err);
            }
            default -> {
                err.println("unknown command " + positional.getFirst() + "\n\n" + USAGE);
                yield 2;
            }
        };
    }

    private static int serve(Settings settings) throws InterruptedException {
        App app = App.start(settings, System.getenv(), InstantSource.system());
        var stopRequested = new CountDownLatch(1);
        // SIGTERM/SIGINT start a graceful stop and the process then exits 0, as an orchestrator expects;
        // a plain shutdown hook would run the same close() but exit with 143.
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> stopRequested.countDown());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        stopRequested.await();
        app.close();
        return 0;
    }

    private static int addUser(Settings settings, String name, boolean admin, PrintStream out, PrintStream err) {
        try (Database database = Database.open(settings.database())) {
            var users = new JdbcUserStore(database);
            User user = users.findByName(name).orElseGet(() -> users.createUser(name, admin, Instant.now()));
            String key = ApiKeys.newKey();
            users.addApiKey(user.id(), ApiKeys.hash(key), ApiKeys.displayPrefix(key), Instant.now());
            out.println(key);
            err.println("API key created for user " + name + ". It is shown once and stored only as a hash.");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
