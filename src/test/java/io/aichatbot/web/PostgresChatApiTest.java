package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.testing.TestDatabases;
import io.aichatbot.testing.TestServer;
import io.aichatbot.testing.TestServer.Response;
import io.aichatbot.testing.TestServer.SseEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same HTTP API tests with PostgreSQL behind the server instead of SQLite, plus what only several instances can show. */
class PostgresChatApiTest extends ChatApiTest {

    private DatabaseSettings settings;

    @Override
    Map<String, String> database() {
        if (settings == null) {
            settings = TestDatabases.postgres();
        }
        return Map.of("db.url", settings.url(), "db.schema", settings.schema());
    }

    @Override
    void dropDatabase() {
        TestDatabases.dropSchema(settings);
    }

    @Test
    void aStopSentToAnotherInstanceStopsTheTurnThroughTheDatabase() throws Exception {
        TestServer running = slowServer();
        var other = new HashMap<>(database());
        other.put("model.demo.token-delay", "50ms");
        try (TestServer elsewhere = TestServer.start(dir.resolve("second-instance"), other)) {
            String id = running.newConversation();
            var deltas = new CountDownLatch(3);
            CompletableFuture<List<SseEvent>> stream = CompletableFuture.supplyAsync(() -> running.stream(id,
                    "{\"content\":\"long answer\"}", e -> {
                        if (e.event().equals("delta")) {
                            deltas.countDown();
                        }
                        return true;
                    }));
            assertThat(deltas.await(10, TimeUnit.SECONDS)).isTrue();

            long asked = System.nanoTime();
            Response stop = elsewhere.post("/api/conversations/" + id + "/stop", "");
            List<SseEvent> events = stream.get(10, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - asked) / 1_000_000;

            assertThat(stop.status()).isEqualTo(200);
            assertThat(stop.body().get("stopped").asBoolean()).isTrue();
            assertThat(events.getLast().event()).isEqualTo("stopped");
            assertThat(events.getLast().data().get("reason").asText()).isEqualTo("stopped");
            assertThat(tookMillis).as("relayed within a few polls").isLessThan(2_000);
            JsonNode reply = elsewhere.get("/api/conversations/" + id + "/messages?limit=1").body().at("/items/0");
            assertThat(reply.get("status").asText()).isEqualTo("stopped");
            // The request does not outlive its turn: the next turn runs to the end.
            assertThat(elsewhere.post("/api/conversations/" + id + "/stop", "").body().get("stopped").asBoolean()).isFalse();
        }
    }
}
