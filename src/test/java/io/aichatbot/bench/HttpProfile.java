package io.aichatbot.bench;

import io.aichatbot.testing.TestServer;
import java.net.http.*;
import java.nio.file.*;
import java.util.*;

/** Scratch: HTTP turn cost in-process (not a test). */
public final class HttpProfile {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("hprof");
        try (TestServer server = TestServer.start(dir, Map.of())) {
            String id = server.newConversation();
            for (String what : List.of("get", "turn", "get", "turn")) {
                long[] t = new long[2000];
                for (int i = 0; i < t.length; i++) {
                    if (i % 50 == 0 && what.equals("turn")) id = server.newConversation();
                    long a = System.nanoTime();
                    if (what.equals("get")) server.get("/api/conversations/" + id);
                    else server.post("/api/conversations/" + id + "/messages", "{\"content\":\"hello\"}");
                    t[i] = System.nanoTime() - a;
                }
                Arrays.sort(t);
                System.out.printf("%s p50=%.3fms p99=%.3fms%n", what, t[1000] / 1e6, t[1980] / 1e6);
            }
        }
    }
}
