package io.aichatbot.bench;

import io.aichatbot.chat.*;
import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.store.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;

/** Scratch: where does a turn's time go? (not a test) */
public final class TurnProfile {
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("virtual")) {
            Thread thread = Thread.ofVirtual().start(() -> {
                try {
                    run(args);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            thread.join();
            return;
        }
        run(args);
    }

    static void run(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("prof");
        String sync = args.length > 0 ? args[0] : "FULL";
        try (Database db = Database.open(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("p.db"), null, null, null, 4, sync))) {
            var store = new JdbcChatStore(db);
            String user = new JdbcUserStore(db).ensureUser("u", false, Instant.now()).id();
            var ctx = new ContextBuilder(store, "sys", 200);
            var model = new io.aichatbot.llm.ModelEntry("m", "m", new io.aichatbot.llm.demo.DemoModel(Duration.ZERO), 8192, 256);
            String conv = store.createConversation(user, "t", "m", Instant.now()).id();
            long[][] t = new long[5][3000];
            for (int i = 0; i < 3000; i++) {
                Instant now = Instant.now();
                long a = System.nanoTime();
                TurnStart s = store.beginTurn(new NewTurn(user, conv, Ids.newId(now.toEpochMilli()), Ids.newId(now.toEpochMilli()), "hello", "m", now, now.plusSeconds(600), 1_000_000, null));
                long b = System.nanoTime();
                ctx.build(conv, s.reply().seq(), model);
                long c = System.nanoTime();
                store.finishReply(new FinishedReply(conv, s.reply().id(), "answer text", Message.Status.COMPLETE, 1, 2, Instant.now(), 1, 2, null, null, "stop"));
                long d = System.nanoTime();
                store.findConversation(user, conv);
                long e = System.nanoTime();
                db.write(connection -> null);
                t[4][i] = System.nanoTime() - e;
                t[0][i] = b - a; t[1][i] = c - b; t[2][i] = d - c; t[3][i] = e - d;
            }
            String[] names = {"beginTurn", "context", "finishReply", "findConversation", "emptyWrite"};
            for (int k = 0; k < 5; k++) {
                long[] x = Arrays.copyOfRange(t[k], 1000, 3000);
                Arrays.sort(x);
                System.out.printf("%s %s p50=%.3fms p99=%.3fms%n", sync, names[k], x[1000] / 1e6, x[1980] / 1e6);
            }
        }
    }
}
