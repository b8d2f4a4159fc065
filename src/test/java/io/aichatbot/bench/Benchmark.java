package io.aichatbot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.chat.Ids;
import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.store.Database;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark command (bin/bench), not a test: measures what docs/BENCHMARKS.md reports.
 *
 * <ol>
 *   <li>added latency of a turn over calling the fake upstream directly (p50/p99), for JSON
 *       turns and for time to first token of streamed turns, at low load (one client);</li>
 *   <li>turns per second with history persisted, on SQLite and on PostgreSQL;</li>
 *   <li>RSS of the server process idle and under load;</li>
 *   <li>the cost of a turn in a conversation of 10 versus 100,000 stored messages.</li>
 * </ol>
 * Everything runs on 127.0.0.1; the server is a separate JVM started from the jar, and so is the
 * fake provider ({@link UpstreamProcess}), as a real one always is.
 */
public final class Benchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    /** The footprint defaults of bin/aichatbot, with a 64 MiB heap; override with --server-jvm "...". */
    static final String DEFAULT_SERVER_JVM =
            "-Xms8m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m -Xss512k -XX:TrimNativeHeapInterval=5000 -Xshare:off -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20";
    static List<String> SERVER_JVM = List.of(DEFAULT_SERVER_JVM.split(" "));
    /** Extra server settings, e.g. --server-set db.sqlite-synchronous=NORMAL. */
    static final List<String> EXTRA_SETTINGS = new ArrayList<>();
    /** --latency-only: just the low-load latency figures (for trying one change quickly). */
    static boolean LATENCY_ONLY;
    /** --samples N: latency samples per figure (default 2,000, or 300 with --quick). */
    static int SAMPLES;
    /** --compare-jar PATH: latency of this build against another, sample by sample (see {@link #compare}). */
    static Path COMPARE_JAR;
    /** --compare-jvm "...": JVM options for the other build's server (default: the same as this one's). */
    static List<String> COMPARE_JVM;

    final boolean quick;
    long demoIdleRss;
    long floorIdleRss;
    final StringBuilder report = new StringBuilder();

    Benchmark(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        boolean quick = options.contains("--quick");
        LATENCY_ONLY = options.contains("--latency-only");
        String compare = value(options, "--compare-jar");
        if (compare != null) {
            COMPARE_JAR = Path.of(compare);
        }
        String compareJvm = value(options, "--compare-jvm");
        if (compareJvm != null) {
            COMPARE_JVM = List.of(compareJvm.strip().split("\\s+"));
        }
        String samples = value(options, "--samples");
        if (samples != null) {
            SAMPLES = Integer.parseInt(samples);
        }
        String jvm = value(options, "--server-jvm");
        if (jvm != null) {
            SERVER_JVM = List.of(jvm.strip().split("\\s+"));
        }
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--server-set")) {
                EXTRA_SETTINGS.add(args[i + 1]);
            }
        }
        Path jar = Path.of(System.getProperty("aichatbot.jar", "target/aichatbot.jar"));
        new Benchmark(quick).run(jar);
    }

    /** The word after {@code name} on the command line, or null when the option is absent. */
    static String value(List<String> options, String name) {
        int at = options.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= options.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return options.get(at + 1);
    }

    void run(Path jar) throws Exception {
        int latencyTurns = SAMPLES > 0 ? SAMPLES : quick ? 300 : 2000;
        int seconds = quick ? 5 : 15;
        line("# AIChatBot benchmark");
        line("");
        line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", "
                + Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " "));
        line("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        line("- server JVM options: " + String.join(" ", SERVER_JVM));
        line("- extra server settings: " + (EXTRA_SETTINGS.isEmpty() ? "none" : String.join(" ", EXTRA_SETTINGS)));
        line("- mode: " + (quick ? "quick" : "full") + "; latency samples per figure: " + latencyTurns
                + "; throughput window: " + seconds + " s");
        line("");
        try (UpstreamProcess upstream = UpstreamProcess.start()) {
            List<String> fakeModel = new ArrayList<>(List.of("models=fast", "model.fast.base-url=" + upstream.baseUrl(),
                    "model.fast.upstream-model=fast", "model.fast.context-window=8192", "model.fast.max-output-tokens=256",
                    "default-model=fast"));
            fakeModel.addAll(EXTRA_SETTINGS);
            if (COMPARE_JAR != null) {
                compare(jar, fakeModel, upstream, latencyTurns);
                return;
            }
            // The default configuration first: the built-in demo model only, as `bin/aichatbot serve` starts.
            try (ServerProcess server = ServerProcess.start(jar, Files.createTempDirectory("aichatbot-bench-demo"), SERVER_JVM,
                    EXTRA_SETTINGS)) {
                demoTurn(server);
                Thread.sleep(5000);
                server.gc();
                Thread.sleep(6000);
                demoIdleRss = server.rssBytes();
            }
            // The frameworks alone, same jar and JVM options, measured the same way.
            try (ServerProcess floor = ServerProcess.startFloor(jar, Files.createTempDirectory("aichatbot-bench-floor"), SERVER_JVM)) {
                var response = post(floor.base() + "/notes", "{\"id\":\"n1\",\"content\":\"hello\"}");
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("stack floor did not answer: " + response.statusCode());
                }
                Thread.sleep(5000);
                floor.gc();
                Thread.sleep(6000);
                floorIdleRss = floor.rssBytes();
            }
            Path dir = Files.createTempDirectory("aichatbot-bench");
            try (ServerProcess server = ServerProcess.start(jar, dir, SERVER_JVM, fakeModel)) {
                Thread.sleep(5000); // let start-up compilation settle: "idle" means idle
                server.gc();
                Thread.sleep(6000); // one malloc-trim period (TrimNativeHeapInterval=5000) after the GC
                line("## Memory");
                line("");
                line("- RSS idle after start and one turn, default configuration (demo model only): " + mib(demoIdleRss));
                line("- RSS idle of the frameworks alone (StackFloor: Javalin/Jetty, Jackson, HikariCP, SQLite; one route), "
                        + "same jar and JVM options: " + mib(floorIdleRss));
                line("- RSS idle after start (SQLite, with the fake provider's client): " + mib(server.rssBytes()));
                latency(server, upstream, latencyTurns);
                if (LATENCY_ONLY) {
                    return;
                }
                throughput(server, "SQLite", seconds, 32);
                server.gc();
                Thread.sleep(6000);
                line("- RSS idle after the load, after a GC: " + mib(server.rssBytes()));
                line("");
            }
            historyCost(jar, dir, fakeModel, quick ? 200 : 1000);
            String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String pgUrl = System.getProperty("aichatbot.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            List<String> pg = new ArrayList<>(fakeModel);
            pg.add("db.url=" + pgUrl);
            pg.add("db.schema=" + schema);
            try (ServerProcess server = ServerProcess.start(jar, Files.createTempDirectory("aichatbot-bench-pg"), SERVER_JVM, pg)) {
                throughput(server, "PostgreSQL", seconds, 32);
            } catch (IllegalStateException e) {
                line("PostgreSQL run skipped: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        Path out = Path.of("target", "bench-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("\nreport written to " + out);
    }

    void latency(ServerProcess server, UpstreamProcess upstream, int n) throws Exception {
        String direct = upstream.baseUrl() + "/chat/completions";
        String body = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":256,\"stream\":false}";
        String streamBody = body.replace("\"stream\":false", "\"stream\":true");
        var conversations = new Conversations(server, 20);
        // Warm up both paths (JIT, connection pools) before measuring.
        for (int i = 0; i < n / 2; i++) {
            post(direct, body);
            post(server.base() + "/api/conversations/" + conversations.next() + "/messages", "{\"content\":\"warm up\"}");
            firstToken(server.base() + "/api/conversations/" + conversations.next() + "/messages", "{\"content\":\"warm\"}", true);
        }
        long[] directJson = new long[n];
        long[] serverJson = new long[n];
        long[] directFirst = new long[n];
        long[] serverFirst = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            post(direct, body);
            directJson[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            expect201(post(server.base() + "/api/conversations/" + conversations.next() + "/messages", "{\"content\":\"What is new?\"}"));
            serverJson[i] = System.nanoTime() - t0;
            directFirst[i] = firstToken(direct, streamBody, false);
            serverFirst[i] = firstToken(server.base() + "/api/conversations/" + conversations.next() + "/messages",
                    "{\"content\":\"Stream it\"}", true);
        }
        line("## Latency at low load (one client, sequential)");
        line("");
        line("| measure | direct to fake upstream p50 / p99 | through AIChatBot p50 / p99 | added p50 / p99 |");
        line("|---|---|---|---|");
        row("JSON turn (non-stream upstream)", directJson, serverJson);
        row("time to first token (SSE)", directFirst, serverFirst);
        line("");
        line("A turn through AIChatBot includes authenticating, committing the user message and the reply placeholder,");
        line("reading the context window, the upstream call, and committing the reply (SQLite).");
        line("");
    }

    /**
     * This build against another, on one machine whose speed drifts: both servers run side by
     * side and every sample calls the fake provider directly, then build A, then build B (the
     * order of A and B alternating), so drift and noise fall on both alike.
     */
    void compare(Path jar, List<String> settings, UpstreamProcess upstream, int n) throws Exception {
        String direct = upstream.baseUrl() + "/chat/completions";
        String body = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":256,\"stream\":false}";
        String streamBody = body.replace("\"stream\":false", "\"stream\":true");
        try (ServerProcess a = ServerProcess.start(jar, Files.createTempDirectory("aichatbot-bench-a"), SERVER_JVM, settings);
             ServerProcess b = ServerProcess.start(COMPARE_JAR, Files.createTempDirectory("aichatbot-bench-b"),
                     COMPARE_JVM == null ? SERVER_JVM : COMPARE_JVM, settings)) {
            var conversationsA = new Conversations(a, 20);
            var conversationsB = new Conversations(b, 20);
            for (int i = 0; i < n / 2; i++) {
                for (var pair : List.of(Map.entry(a, conversationsA), Map.entry(b, conversationsB))) {
                    post(pair.getKey().base() + "/api/conversations/" + pair.getValue().next() + "/messages", "{\"content\":\"warm up\"}");
                    firstToken(pair.getKey().base() + "/api/conversations/" + pair.getValue().next() + "/messages", "{\"content\":\"warm\"}", true);
                }
            }
            long[][] json = new long[3][n];
            long[][] first = new long[3][n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                post(direct, body);
                json[0][i] = System.nanoTime() - t0;
                first[0][i] = firstToken(direct, streamBody, false);
                for (int k : i % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1}) {
                    ServerProcess server = k == 1 ? a : b;
                    Conversations conversations = k == 1 ? conversationsA : conversationsB;
                    t0 = System.nanoTime();
                    expect201(post(server.base() + "/api/conversations/" + conversations.next() + "/messages", "{\"content\":\"What is new?\"}"));
                    json[k][i] = System.nanoTime() - t0;
                    first[k][i] = firstToken(server.base() + "/api/conversations/" + conversations.next() + "/messages",
                            "{\"content\":\"Stream it\"}", true);
                }
            }
            line("## Latency, this build (A) against " + COMPARE_JAR + " (B), sample by sample");
            line("");
            line("| measure | direct p50 / p99 | A added p50 / p99 | B added p50 / p99 |");
            line("|---|---|---|---|");
            for (var figure : List.of(Map.entry("JSON turn", json), Map.entry("time to first token", first))) {
                long[][] t = figure.getValue();
                for (long[] column : t) {
                    Arrays.sort(column);
                }
                line("| " + figure.getKey() + " | " + ms(pct(t[0], 50)) + " / " + ms(pct(t[0], 99)) + " | "
                        + ms(pct(t[1], 50) - pct(t[0], 50)) + " / " + ms(pct(t[1], 99) - pct(t[0], 99)) + " | "
                        + ms(pct(t[2], 50) - pct(t[0], 50)) + " / " + ms(pct(t[2], 99) - pct(t[0], 99)) + " |");
            }
            line("");
            // Throughput cannot be paired sample by sample; alternating short windows (A B B A …)
            // spreads the drift over both. The other server idles while one is loaded.
            int rounds = 4;
            int seconds = 5;
            long[] turns = new long[2];
            for (int round = 0; round < rounds; round++) {
                for (int k : round % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    var done = new AtomicLong();
                    load(k == 0 ? a : b, seconds, 32, done, new AtomicLong());
                    turns[k] += done.get();
                }
            }
            line("Throughput, 32 clients, JSON turns, SQLite, " + rounds + " alternating windows of " + seconds + " s each: A "
                    + turns[0] / (rounds * seconds) + " turns/s, B " + turns[1] / (rounds * seconds) + " turns/s.");
            line("");
        }
    }

    void row(String name, long[] direct, long[] server) {
        Arrays.sort(direct);
        Arrays.sort(server);
        line("| " + name + " | " + ms(pct(direct, 50)) + " / " + ms(pct(direct, 99)) + " | " + ms(pct(server, 50)) + " / "
                + ms(pct(server, 99)) + " | " + ms(pct(server, 50) - pct(direct, 50)) + " / "
                + ms(pct(server, 99) - pct(direct, 99)) + " |");
    }

    void throughput(ServerProcess server, String database, int seconds, int clients) throws Exception {
        var done = new AtomicLong();
        var failed = new AtomicLong();
        long maxRss = load(server, seconds, clients, done, failed);
        line("## Throughput, " + database);
        line("");
        line("- " + clients + " concurrent clients, JSON turns, " + seconds + " s: **"
                + String.format(Locale.ROOT, "%.0f", done.get() / (double) seconds) + " turns/s** ("
                + done.get() + " turns = " + (2 * done.get()) + " messages persisted, " + failed.get() + " failed)");
        line("- peak RSS under this load: " + mib(maxRss));
        line("");
    }

    /** Drives {@code clients} sequential JSON-turn loops for {@code seconds}; returns the peak RSS seen. */
    long load(ServerProcess server, int seconds, int clients, AtomicLong done, AtomicLong failed) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long maxRss = 0;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(executor.submit(() -> {
                    var conversations = new Conversations(server, 50);
                    while (System.nanoTime() < end) {
                        var response = post(server.base() + "/api/conversations/" + conversations.next() + "/messages",
                                "{\"content\":\"load test message\"}");
                        if (response.statusCode() == 201) {
                            done.incrementAndGet();
                        } else if (failed.incrementAndGet() <= 3) {
                            System.err.println("failed turn: " + response.statusCode() + " " + response.body());
                        }
                    }
                    return null;
                }));
            }
            while (System.nanoTime() < end) {
                maxRss = Math.max(maxRss, server.rssBytes());
                Thread.sleep(200);
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return maxRss;
    }

    void historyCost(Path jar, Path dir, List<String> settings, int n) throws Exception {
        // The server must be down: the seed writes straight into its SQLite file.
        String shortId;
        String longId;
        try (Database database = Database.open(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("aichatbot.db"), null, null, null, 2))) {
            shortId = seed(database, 10);
            longId = seed(database, 100_000);
        }
        List<String> roomy = new ArrayList<>(settings);
        roomy.add("chat.max-messages-per-conversation=10000000"); // the default cap (100,000) would refuse these turns
        try (ServerProcess server = ServerProcess.start(jar, dir, SERVER_JVM, roomy)) {
            String shortUrl = server.base() + "/api/conversations/" + shortId + "/messages";
            String longUrl = server.base() + "/api/conversations/" + longId + "/messages";
            for (int i = 0; i < n / 2; i++) {
                post(shortUrl, "{\"content\":\"warm\"}");
                post(longUrl, "{\"content\":\"warm\"}");
            }
            long[] small = new long[n];
            long[] large = new long[n];
            for (int i = 0; i < n; i++) {
                // Alternate which goes first, so neither pays for the other's after-effects.
                if (i % 2 == 0) {
                    small[i] = timed(shortUrl);
                    large[i] = timed(longUrl);
                } else {
                    large[i] = timed(longUrl);
                    small[i] = timed(shortUrl);
                }
            }
            Arrays.sort(small);
            Arrays.sort(large);
            line("## Turn cost against history length (SQLite)");
            line("");
            line("| stored messages in the conversation | JSON turn p50 | p99 |");
            line("|---|---|---|");
            line("| 10 | " + ms(pct(small, 50)) + " | " + ms(pct(small, 99)) + " |");
            line("| 100,000 | " + ms(pct(large, 50)) + " | " + ms(pct(large, 99)) + " |");
            line("");
        }
    }

    /** One JSON turn on the demo model, so "idle" comes after real work. */
    static void demoTurn(ServerProcess server) throws Exception {
        JsonNode created = JSON.readTree(post(server.base() + "/api/conversations", "").body());
        expect201(post(server.base() + "/api/conversations/" + created.get("id").asText() + "/messages",
                "{\"content\":\"hello\"}"));
    }

    static void expect201(HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("a measured turn failed: " + response.statusCode() + " " + response.body());
        }
    }

    static long timed(String url) throws Exception {
        long t0 = System.nanoTime();
        var response = post(url, "{\"content\":\"How long is this?\"}");
        long elapsed = System.nanoTime() - t0;
        if (response.statusCode() != 201) {
            throw new IllegalStateException("a measured turn failed: " + response.statusCode() + " " + response.body());
        }
        return elapsed;
    }

    /** Inserts a conversation of the local user with {@code messages} complete messages, in one transaction. */
    static String seed(Database database, int messages) {
        return database.write(connection -> {
            String userId;
            try (var select = connection.prepareStatement("SELECT id FROM users WHERE name = 'local'");
                 var row = select.executeQuery()) {
                row.next();
                userId = row.getString(1);
            }
            String id = Ids.newId(System.currentTimeMillis());
            long now = System.currentTimeMillis();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO conversations (id, user_id, title, model, created_at, updated_at, last_seq, message_count)
                    VALUES (?, ?, ?, 'fast', ?, ?, ?, ?)""")) {
                insert.setString(1, id);
                insert.setString(2, userId);
                insert.setString(3, messages + " messages");
                insert.setLong(4, now);
                insert.setLong(5, now);
                insert.setLong(6, messages);
                insert.setLong(7, messages);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO messages (id, conversation_id, seq, role, content, status, created_at)
                    VALUES (?, ?, ?, ?, ?, 'complete', ?)""")) {
                for (int seq = 1; seq <= messages; seq++) {
                    insert.setString(1, Ids.newId(now));
                    insert.setString(2, id);
                    insert.setLong(3, seq);
                    insert.setString(4, seq % 2 == 1 ? "user" : "assistant");
                    insert.setString(5, "Seeded message number " + seq + " with a sentence or two of ordinary text in it.");
                    insert.setLong(6, now);
                    insert.addBatch();
                    if (seq % 1000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            return id;
        });
    }

    /** Hands out conversation ids, starting a new conversation every {@code turnsEach} turns. */
    static final class Conversations {
        private final ServerProcess server;
        private final int turnsEach;
        private String current;
        private int used;

        Conversations(ServerProcess server, int turnsEach) {
            this.server = server;
            this.turnsEach = turnsEach;
        }

        String next() throws Exception {
            if (current == null || used++ >= turnsEach) {
                JsonNode created = JSON.readTree(post(server.base() + "/api/conversations", "").body());
                current = created.get("id").asText();
                used = 1;
            }
            return current;
        }
    }

    static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Nanoseconds from sending the request to the first answer token; reads the stream to its end. */
    static long firstToken(String url, String body, boolean aichatbot) throws Exception {
        long t0 = System.nanoTime();
        var request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long first = -1;
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                boolean token = aichatbot ? line.equals("event: delta") : line.contains("\"content\":\"") && !line.contains("\"content\":\"\"");
                if (first < 0 && token) {
                    first = System.nanoTime() - t0;
                }
            }
        }
        if (first < 0) {
            throw new IllegalStateException("a streamed turn produced no token (status " + response.statusCode() + ")");
        }
        return first;
    }

    static long pct(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    static String mib(long bytes) {
        // Both units: the target is in MB, /proc reports KiB.
        return String.format(Locale.ROOT, "%.1f MiB (%.1f MB)", bytes / 1048576.0, bytes / 1e6);
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
