package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aichatbot.testing.Eventually;
import io.aichatbot.testing.TestServer;
import io.aichatbot.testing.TestServer.Response;
import io.aichatbot.testing.TestServer.SseEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API over real sockets, on the demo model and an embedded SQLite database. */
class ChatApiTest {

    @TempDir
    Path dir;
    TestServer server;

    /** Settings that choose the database; SQLite in {@code dir} unless a subclass says otherwise. */
    Map<String, String> database() {
        return Map.of();
    }

    void dropDatabase() {}

    TestServer start(Map<String, String> settings) {
        var all = new java.util.HashMap<>(database());
        all.putAll(settings);
        return TestServer.start(dir, all);
    }

    @BeforeEach
    void start() {
        server = start(Map.of("chat.max-message-bytes", "1000"));
    }

    @AfterEach
    void stop() {
        server.close();
        dropDatabase();
    }

    TestServer slowServer() {
        server.close();
        server = start(Map.of("model.demo.token-delay", "50ms"));
        return server;
    }

    @Test
    void creatingAConversationWithAnEmptyBodyReturnsItWithItsId() {
        Response created = server.post("/api/conversations", "");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(created.body().get("title").asText()).isEqualTo("New conversation");
        assertThat(created.body().get("model").asText()).isEqualTo("demo");
        assertThat(server.get("/api/conversations/" + created.body().get("id").asText()).status()).isEqualTo(200);
    }

    @Test
    void aJsonTurnReturnsTheSavedUserMessageAndTheCompleteReply() {
        String id = server.newConversation();

        Response turn = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"What is 2+2?\"}");

        assertThat(turn.status()).isEqualTo(201);
        assertThat(turn.body().at("/userMessage/content").asText()).isEqualTo("What is 2+2?");
        assertThat(turn.body().at("/reply/status").asText()).isEqualTo("complete");
        assertThat(turn.body().at("/reply/content").asText()).startsWith("**Demo model (offline, no AI).**").contains("What is 2+2?");
        assertThat(turn.body().at("/reply/outputTokens").asInt()).isPositive();
        JsonNode page = server.get("/api/conversations/" + id + "/messages?order=asc").body();
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.at("/items/1/content").asText()).isEqualTo(turn.body().at("/reply/content").asText());
        assertThat(server.get("/api/conversations/" + id).body().get("title").asText()).isEqualTo("What is 2+2?");
    }

    @Test
    void aStreamedTurnSendsTheTurnThenDeltasThenExactlyOneDoneEvent() {
        String id = server.newConversation();

        List<SseEvent> events = server.stream(id, "{\"content\":\"stream please\"}");

        assertThat(events.getFirst().event()).isEqualTo("turn");
        assertThat(events.getFirst().data().at("/userMessage/content").asText()).isEqualTo("stream please");
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(events.subList(1, events.size() - 1)).isNotEmpty().allSatisfy(e -> assertThat(e.event()).isEqualTo("delta"));
        String streamed = events.stream().filter(e -> e.event().equals("delta")).map(e -> e.data().get("text").asText())
                .collect(Collectors.joining());
        assertThat(events.getLast().data().at("/reply/content").asText()).isEqualTo(streamed);
        JsonNode stored = server.get("/api/conversations/" + id + "/messages?limit=1").body().at("/items/0");
        assertThat(stored.get("content").asText()).isEqualTo(streamed);
        assertThat(stored.get("status").asText()).isEqualTo("complete");
    }

    @Test
    void stoppingARunningTurnEndsTheStreamWithStoppedAndSavesThePartialAnswer() throws Exception {
        TestServer slow = slowServer();
        String id = slow.newConversation();
        var deltas = new CountDownLatch(3);

        CompletableFuture<List<SseEvent>> stream = CompletableFuture.supplyAsync(() -> slow.stream(id,
                "{\"content\":\"long answer\"}", e -> {
                    if (e.event().equals("delta")) {
                        deltas.countDown();
                    }
                    return true;
                }));
        assertThat(deltas.await(10, TimeUnit.SECONDS)).isTrue();
        Response stop = slow.post("/api/conversations/" + id + "/stop", "");
        List<SseEvent> events = stream.get(10, TimeUnit.SECONDS);

        assertThat(stop.body().get("stopped").asBoolean()).isTrue();
        SseEvent last = events.getLast();
        assertThat(last.event()).isEqualTo("stopped");
        assertThat(last.data().get("reason").asText()).isEqualTo("stopped");
        JsonNode reply = slow.get("/api/conversations/" + id + "/messages?limit=1").body().at("/items/0");
        assertThat(reply.get("status").asText()).isEqualTo("stopped");
        assertThat(reply.get("content").asText()).isNotEmpty().isEqualTo(last.data().at("/reply/content").asText());
        assertThat(reply.get("content").asText()).doesNotContain("Configure a real provider");
        assertThat(slow.app().chat().runningTurns()).isZero();
    }

    @Test
    void aClosedConnectionCancelsTheTurnAndSavesItAsStoppedByDisconnect() throws Exception {
        TestServer slow = slowServer();
        String id = slow.newConversation();
        String body = "{\"content\":\"then I leave\"}";
        try (Socket socket = new Socket("127.0.0.1", slow.app().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/conversations/" + id + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String seen = "";
            while (!seen.contains("event: delta")) {
                byte[] chunk = new byte[512];
                int n = in.read(chunk);
                assertThat(n).isPositive();
                seen += new String(chunk, 0, n, StandardCharsets.UTF_8);
            }
        }
        Eventually.within(Duration.ofSeconds(3), () -> slow.app().chat().runningTurns() == 0, "turn cancelled");
        JsonNode reply = slow.get("/api/conversations/" + id + "/messages?limit=1").body().at("/items/0");
        assertThat(reply.get("status").asText()).isEqualTo("stopped");
        assertThat(reply.get("errorCode").asText()).isEqualTo("client_disconnected");
        assertThat(slow.post("/api/conversations/" + id + "/messages", "{\"content\":\"I'm back\"}").status()).isEqualTo(201);
    }

    @Test
    void aSecondTurnWhileOneIsRunningIsRefusedWith409() throws Exception {
        TestServer slow = slowServer();
        String id = slow.newConversation();
        var started = new CountDownLatch(1);
        CompletableFuture<List<SseEvent>> first = CompletableFuture.supplyAsync(() -> slow.stream(id, "{\"content\":\"one\"}",
                e -> {
                    started.countDown();
                    return true;
                }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Response second = slow.post("/api/conversations/" + id + "/messages", "{\"content\":\"two\"}");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("turn_in_progress");
        slow.post("/api/conversations/" + id + "/stop", "");
        assertThat(first.get(10, TimeUnit.SECONDS).getLast().event()).isEqualTo("stopped");
        assertThat(slow.get("/api/conversations/" + id + "/messages").body().get("items")).hasSize(2);
    }

    @Test
    void turnsOnDifferentConversationsRunInParallel() throws Exception {
        TestServer slow = slowServer();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(slow.newConversation());
        }
        long started = System.nanoTime();
        List<CompletableFuture<Response>> turns = ids.stream()
                .map(id -> CompletableFuture.supplyAsync(() -> slow.post("/api/conversations/" + id + "/messages",
                        "{\"content\":\"in parallel\"}"), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()))
                .toList();
        for (CompletableFuture<Response> turn : turns) {
            assertThat(turn.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        Response one = slow.post("/api/conversations/" + ids.getFirst() + "/messages", "{\"content\":\"alone\"}");
        long single = one.body().at("/reply/durationMs").asLong();
        // Eight turns in parallel take about as long as one, not eight times as long.
        assertThat(elapsedMs).isLessThan(single * 3);
    }

    @Test
    void feedbackOnAnAnswerIsStoredAndCanBeReadBack() {
        String id = server.newConversation();
        String replyId = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}").body().at("/reply/id").asText();
        String userMessageId = server.get("/api/conversations/" + id + "/messages?order=asc&limit=1").body().at("/items/0/id").asText();

        Response given = server.post("/api/messages/" + replyId + "/feedback", "{\"rating\":\"up\",\"comment\":\"clear answer\"}");
        Response onUserMessage = server.post("/api/messages/" + userMessageId + "/feedback", "{\"rating\":\"down\"}");

        assertThat(given.status()).isEqualTo(200);
        assertThat(server.get("/api/messages/" + replyId + "/feedback").body().get("comment").asText()).isEqualTo("clear answer");
        JsonNode page = server.get("/api/conversations/" + id + "/messages?order=asc").body();
        assertThat(page.at("/items/1/feedback/rating").asText()).isEqualTo("up"); // sent with the page: no request per answer
        assertThat(page.at("/items/0/feedback").isNull()).isTrue();
        JsonNode one = server.get("/api/messages/" + replyId).body();
        assertThat(one.get("status").asText()).isEqualTo("complete");
        assertThat(one.at("/feedback/comment").asText()).isEqualTo("clear answer");
        assertThat(onUserMessage.status()).isEqualTo(400);
        assertThat(onUserMessage.code()).isEqualTo("not_an_assistant_message");
        assertThat(server.post("/api/messages/" + replyId + "/feedback", "{\"rating\":\"meh\"}").code()).isEqualTo("invalid_field");
    }

    @Test
    void conversationsCanBeListedPageByPageRenamedAndDeleted() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(server.newConversation());
        }
        JsonNode first = server.get("/api/conversations?limit=2").body();
        JsonNode second = server.get("/api/conversations?limit=2&cursor=" + first.get("nextCursor").asText()).body();
        assertThat(first.get("items")).hasSize(2);
        assertThat(second.get("items")).hasSize(2);
        assertThat(first.at("/items/0/id").asText()).isEqualTo(ids.getLast());

        Response renamed = server.patch("/api/conversations/" + ids.getFirst(), "{\"title\":\"Trip plans\"}");
        assertThat(renamed.body().get("title").asText()).isEqualTo("Trip plans");
        assertThat(server.delete("/api/conversations/" + ids.getFirst()).status()).isEqualTo(204);
        assertThat(server.get("/api/conversations/" + ids.getFirst()).status()).isEqualTo(404);
        assertThat(server.delete("/api/conversations/" + ids.getFirst()).status()).isEqualTo(404);
    }

    @Test
    void everyBadInputGetsA4xxJsonErrorWithAStableCode() {
        String id = server.newConversation();
        String messages = "/api/conversations/" + id + "/messages";
        String tooBig = "x".repeat(1001);

        assertError(server.post(messages, "{not json"), 400, "malformed_json");
        assertError(server.post(messages, ""), 400, "malformed_json");
        assertError(server.post(messages, "[1,2]"), 400, "invalid_field");
        assertError(server.post(messages, "{\"content\":\"hi\",\"role\":\"system\"}"), 400, "unknown_field");
        assertError(server.post(messages, "{\"content\":42}"), 400, "invalid_field");
        assertError(server.post(messages, "{}"), 400, "invalid_field");
        assertError(server.post(messages, "{\"content\":\"   \"}"), 400, "empty_message");
        assertError(server.post(messages, "{\"content\":\"" + tooBig + "\"}"), 413, "message_too_large");
        assertError(server.post(messages, "{\"content\":\"hi\",\"model\":\"gpt-9\"}"), 400, "unknown_model");
        assertError(server.post("/api/conversations", "{\"model\":\"gpt-9\"}"), 400, "unknown_model");
        assertError(server.post("/api/conversations", "{\"title\":\"\"}"), 400, "invalid_request");
        assertError(server.get("/api/conversations/not-an-id"), 400, "invalid_id");
        assertError(server.get("/api/conversations/01a20a4b-8ae5-713b-9f99-c867d411d6e0"), 404, "not_found");
        assertError(server.get(messages + "?limit=0"), 400, "invalid_request");
        assertError(server.get(messages + "?limit=abc"), 400, "invalid_parameter");
        assertError(server.get(messages + "?limit=1000"), 400, "invalid_request");
        assertError(server.get(messages + "?order=sideways"), 400, "invalid_parameter");
        assertError(server.get(messages + "?cursor=%25%25!"), 400, "invalid_cursor");
        assertError(server.get("/api/conversations?cursor=bTo1"), 400, "invalid_cursor");
        assertError(server.get("/api/nothing-here"), 404, "route_not_found");
        assertError(server.post("/api/messages/" + id + "/feedback", "{\"rating\":\"up\"}"), 404, "not_found");
        assertError(server.post("/api/conversations", "x".repeat(200_000)), 413, "request_too_large");
        // Nothing stored was lost along the way.
        assertThat(server.get("/api/conversations/" + id).status()).isEqualTo(200);
    }

    private static void assertError(Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.code()).as(response.body().toString()).isEqualTo(code);
        assertThat(response.body().at("/error/message").asText()).isNotBlank();
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    }

    @Test
    void healthEndpointsAnswerWithoutCredentials() {
        assertThat(server.get("/health/live").status()).isEqualTo(200);
        Response ready = server.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("database").asText()).isEqualTo("up");
    }

    @Test
    void theModelListNamesTheDemoModelAsDefault() {
        JsonNode models = server.get("/api/models").body();
        assertThat(models.get("defaultModel").asText()).isEqualTo("demo");
        assertThat(models.at("/models/0/provider").asText()).isEqualTo("demo");
    }
}
