package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aichatbot.testing.Eventually;
import io.aichatbot.testing.FakeOpenAiServer;
import io.aichatbot.testing.FakeOpenAiServer.Behavior;
import io.aichatbot.testing.TestServer;
import io.aichatbot.testing.TestServer.Response;
import io.aichatbot.testing.TestServer.SseEvent;
import java.nio.file.Path;
import java.time.Duration;
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

/** Whole turns through the server to a fake OpenAI-compatible provider, failures and cancellation included. */
class UpstreamApiTest {

    static final String KEY = "sk-canary-upstream-KEY-0123456789";

    @TempDir
    Path dir;
    FakeOpenAiServer upstream;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeOpenAiServer();
        server = TestServer.start(dir, Map.of(
                "models", "fake",
                "model.fake.base-url", upstream.baseUrl(),
                "model.fake.upstream-model", "gpt-fake",
                "model.fake.api-key-env", "FAKE_KEY",
                "model.fake.first-token-timeout", "500ms",
                "model.fake.between-tokens-timeout", "500ms",
                "model.fake.total-timeout", "2s",
                "model.fake.price-input", "1.0",
                "model.fake.price-output", "4.0"), Map.of("FAKE_KEY", KEY));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
    }

    @Test
    void aStreamedTurnRelaysTheProvidersTokensAndStoresItsUsage() {
        upstream.behave(Behavior.answering("Bonjour", " le", " monde"));
        String id = server.newConversation();

        List<SseEvent> events = server.stream(id, "{\"content\":\"Say hello in French\"}");

        String text = events.stream().filter(e -> e.event().equals("delta")).map(e -> e.data().get("text").asText())
                .collect(Collectors.joining());
        assertThat(text).isEqualTo("Bonjour le monde");
        JsonNode reply = events.getLast().data().get("reply");
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(reply.get("inputTokens").asInt()).isEqualTo(9);
        assertThat(reply.get("outputTokens").asInt()).isEqualTo(3);
        // 9 input tokens at $1/M and 3 output tokens at $4/M: 21 millionths of a dollar.
        assertThat(reply.get("costUsd").asDouble()).isEqualTo(0.000021);
        assertThat(reply.get("model").asText()).isEqualTo("fake");
        assertThat(reply.get("finishReason").asText()).isEqualTo("stop");
        JsonNode sent = upstream.requests.getLast().body();
        assertThat(sent.get("model").asText()).isEqualTo("gpt-fake");
        assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(sent.at("/messages/1/content").asText()).isEqualTo("Say hello in French");
    }

    @Test
    void anAnswerCutAtTheTokenLimitIsSavedCompleteWithFinishReasonLengthAndReadBackSo() {
        upstream.behave(Behavior.answering("Once upon", " a time").finishing("length"));
        String id = server.newConversation();

        Response json = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"Tell a long story\"}");
        List<SseEvent> streamed = server.stream(id, "{\"content\":\"Another one\"}");

        assertThat(json.status()).isEqualTo(201);
        assertThat(json.body().at("/reply/status").asText()).isEqualTo("complete");
        assertThat(json.body().at("/reply/finishReason").asText()).isEqualTo("length");
        assertThat(streamed.getLast().event()).isEqualTo("done");
        assertThat(streamed.getLast().data().at("/reply/finishReason").asText()).isEqualTo("length");
        JsonNode page = server.get("/api/conversations/" + id + "/messages?order=asc").body();
        assertThat(page.at("/items/0/finishReason").isNull()).as("a user message has none").isTrue();
        assertThat(page.at("/items/1/finishReason").asText()).isEqualTo("length");
    }

    @Test
    void regeneratingAnswersTheLastQuestionAgainWithoutRepeatingItAndLaterTurnsSeeOnlyTheNewAnswer() {
        upstream.behave(Behavior.answering("Lyon."));
        String id = server.newConversation();
        server.post("/api/conversations/" + id + "/messages", "{\"content\":\"Capital of France?\"}");
        upstream.behave(Behavior.answering("Paris."));

        Response again = server.post("/api/conversations/" + id + "/regenerate", "");

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body().at("/userMessage/content").asText()).isEqualTo("Capital of France?");
        assertThat(again.body().at("/userMessage/seq").asInt()).isEqualTo(1);
        assertThat(again.body().at("/reply/seq").asInt()).isEqualTo(3);
        assertThat(again.body().at("/reply/content").asText()).isEqualTo("Paris.");
        JsonNode sent = upstream.requests.getLast().body().get("messages");
        assertThat(sent).as("system prompt and the question, once; not the answer being replaced").hasSize(2);
        assertThat(sent.get(1).get("content").asText()).isEqualTo("Capital of France?");

        upstream.behave(Behavior.answering("About two million."));
        List<SseEvent> streamed = server.stream(id, "{\"content\":\"And its population?\"}");
        assertThat(streamed.getLast().event()).isEqualTo("done");
        sent = upstream.requests.getLast().body().get("messages");
        assertThat(sent).extracting(m -> m.get("content").asText()).containsSubsequence("Capital of France?", "Paris.",
                "And its population?").doesNotContain("Lyon.");
        assertThat(server.get("/api/conversations/" + id + "/messages?order=asc").body().get("items"))
                .extracting(m -> m.get("content").asText())
                .containsExactly("Capital of France?", "Lyon.", "Paris.", "And its population?", "About two million.");
    }

    @Test
    void aStreamedRegenerationAfterAFailureEndsWithDoneAndItsRefusalsHaveStableCodes() {
        upstream.behave(Behavior.error(500, "server_error", "The server had an error"));
        String id = server.newConversation();
        assertThat(server.post("/api/conversations/" + id + "/regenerate", "").code()).as("no question yet")
                .isEqualTo("nothing_to_regenerate");
        assertThat(server.post("/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}").status()).isEqualTo(502);
        upstream.behave(Behavior.answering("Hello", " again"));

        List<SseEvent> events = server.streamPost("/api/conversations/" + id + "/regenerate", "{}", e -> false);

        assertThat(events.getFirst().event()).isEqualTo("turn");
        assertThat(events.getFirst().data().at("/userMessage/content").asText()).isEqualTo("hi");
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(events.getLast().data().at("/reply/content").asText()).isEqualTo("Hello again");
        assertThat(server.post("/api/conversations/" + id + "/regenerate", "{\"model\":\"nope\"}").code())
                .isEqualTo("unknown_model");
        assertThat(server.post("/api/conversations/" + id + "/regenerate", "{\"content\":\"x\"}").status())
                .as("unknown field").isEqualTo(400);
        assertThat(server.post("/api/conversations/00000000-0000-7000-8000-000000000000/regenerate", "").status())
                .isEqualTo(404);
    }

    @Test
    void theSecondTurnSendsTheFirstExchangeAsContext() {
        upstream.behave(Behavior.answering("Paris."));
        String id = server.newConversation();
        server.post("/api/conversations/" + id + "/messages", "{\"content\":\"Capital of France?\"}");

        server.post("/api/conversations/" + id + "/messages", "{\"content\":\"And its population?\"}");

        JsonNode messages = upstream.requests.getLast().body().get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Capital of France?");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("Paris.");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("And its population?");
    }

    @Test
    void anUpstreamServerErrorIsA502WithAStableCodeAndTheReplySavedAsFailed() {
        upstream.behave(Behavior.error(500, "server_error", "The server had an error"));
        String id = server.newConversation();

        Response response = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.code()).isEqualTo("upstream_error");
        assertThat(response.body().at("/error/message").asText()).isEqualTo("The server had an error");
        assertThat(response.body().at("/reply/status").asText()).isEqualTo("failed");
        assertThat(response.body().at("/userMessage/content").asText()).isEqualTo("hi");
        assertThat(server.get("/api/conversations/" + id + "/messages").body().get("items")).hasSize(2);
    }

    @Test
    void aStalledUpstreamIsA504AndAStreamEndsWithAnErrorEventKeepingThePartialText() {
        upstream.behave(Behavior.answering("half", " an answer", " never sent").hangAfter(2));
        String id = server.newConversation();

        List<SseEvent> events = server.stream(id, "{\"content\":\"hi\"}");

        SseEvent last = events.getLast();
        assertThat(last.event()).isEqualTo("error");
        assertThat(last.data().at("/error/code").asText()).isEqualTo("upstream_timeout");
        assertThat(last.data().at("/reply/status").asText()).isEqualTo("failed");
        assertThat(last.data().at("/reply/content").asText()).isEqualTo("half an answer");
        upstream.behave(Behavior.answering("x").delays(Duration.ofSeconds(5), Duration.ZERO)); // non-stream: only the total limit applies
        Response json = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"again\"}");
        assertThat(json.status()).isEqualTo(504);
        assertThat(json.code()).isEqualTo("upstream_timeout");
    }

    @Test
    void stopDuringAStreamClosesTheUpstreamConnection() throws Exception {
        upstream.behave(Behavior.answering("one", " two", " three").hangAfter(1));
        String id = server.newConversation();
        var delta = new CountDownLatch(1);
        CompletableFuture<List<SseEvent>> stream = CompletableFuture.supplyAsync(() -> server.stream(id, "{\"content\":\"go\"}",
                e -> {
                    if (e.event().equals("delta")) {
                        delta.countDown();
                    }
                    return true;
                }));
        assertThat(delta.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(upstream.openConnections()).isEqualTo(1);

        server.post("/api/conversations/" + id + "/stop", "");

        assertThat(stream.get(5, TimeUnit.SECONDS).getLast().event()).isEqualTo("stopped");
        Eventually.within(Duration.ofSeconds(1), () -> upstream.openConnections() == 0, "upstream socket closed");
        assertThat(server.app().chat().runningTurns()).isZero();
    }

    @Test
    void theApiKeyNeverAppearsInWhatTheServerAnswers() {
        upstream.behave(Behavior.error(401, "invalid_request_error", "Incorrect API key provided: " + KEY));
        String id = server.newConversation();

        Response response = server.post("/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.code()).isEqualTo("upstream_auth_failed");
        assertThat(response.raw().body()).doesNotContain(KEY).doesNotContain("sk-canary");
        assertThat(upstream.requests.getLast().headers().get("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void manyStoppedAndAbandonedStreamsLeaveNoUpstreamConnectionNoRunningTurnAndNoOpenStream() throws Exception {
        // Patient timeouts: every stream must still be open when the stops and disconnects come.
        server.close();
        server = TestServer.start(dir.resolve("patient"), Map.of("models", "fake", "model.fake.base-url", upstream.baseUrl(),
                "model.fake.api-key-env", "FAKE_KEY", "model.fake.between-tokens-timeout", "60s"), Map.of("FAKE_KEY", KEY));
        upstream.behave(Behavior.answering("a", "b", "c").hangAfter(1));
        int turns = 12;
        var streams = new java.util.ArrayList<CompletableFuture<List<SseEvent>>>();
        var sockets = new java.util.ArrayList<java.net.Socket>();
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < turns; i++) {
            String id = server.newConversation();
            ids.add(id);
            if (i % 2 == 0) {
                var delta = new CountDownLatch(1);
                streams.add(CompletableFuture.supplyAsync(() -> server.stream(id, "{\"content\":\"go\"}", e -> {
                    if (e.event().equals("delta")) {
                        delta.countDown();
                    }
                    return true;
                })));
                assertThat(delta.await(5, TimeUnit.SECONDS)).isTrue();
            } else {
                sockets.add(openRawStream(id)); // a browser tab that will just be closed
            }
        }
        Eventually.within(Duration.ofSeconds(10), () -> upstream.openConnections() == turns, "all turns reached upstream");

        for (int i = 0; i < turns; i += 2) {
            server.post("/api/conversations/" + ids.get(i) + "/stop", "");
        }
        for (java.net.Socket socket : sockets) {
            socket.close();
        }

        for (CompletableFuture<List<SseEvent>> stream : streams) {
            assertThat(stream.get(5, TimeUnit.SECONDS).getLast().event()).isEqualTo("stopped");
        }
        Eventually.within(Duration.ofSeconds(3), () -> upstream.openConnections() == 0, "every upstream socket closed");
        Eventually.within(Duration.ofSeconds(3), () -> server.app().chat().runningTurns() == 0, "no running turn");
        String metrics = java.net.http.HttpClient.newHttpClient().send(server.request("/metrics").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("chat_turns_active 0.0", "http_sse_streams 0.0");
    }

    private java.net.Socket openRawStream(String id) throws Exception {
        String body = "{\"content\":\"bye\"}";
        var socket = new java.net.Socket("127.0.0.1", server.app().port());
        socket.getOutputStream().write(("POST /api/conversations/" + id + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] buffer = new byte[4096];
        String seen = "";
        while (!seen.contains("event: delta")) {
            int n = socket.getInputStream().read(buffer);
            assertThat(n).isPositive();
            seen += new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        }
        return socket;
    }

    @Test
    void anApiKeyCanComeFromASecretsFileInsteadOfTheEnvironment() throws Exception {
        java.nio.file.Path secrets = dir.resolve("secrets.properties");
        java.nio.file.Files.writeString(secrets, "FILE_KEY=sk-from-the-file\n");
        try (TestServer fromFile = TestServer.start(dir.resolve("other"), Map.of(
                "models", "fake",
                "model.fake.base-url", upstream.baseUrl(),
                "model.fake.api-key-env", "FILE_KEY",
                "secrets.file", secrets.toString()), Map.of())) {
            String id = fromFile.newConversation();
            assertThat(fromFile.post("/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}").status()).isEqualTo(201);
        }
        assertThat(upstream.requests.getLast().headers().get("Authorization")).isEqualTo("Bearer sk-from-the-file");
    }

    @Test
    void aTabClosedBeforeTheFirstTokenClosesTheUpstreamSocketWithinAboutASecond() throws Exception {
        server.close();
        server = TestServer.start(dir.resolve("default-heartbeat"), Map.of("models", "fake", "model.fake.base-url",
                upstream.baseUrl(), "model.fake.api-key-env", "FAKE_KEY", "server.sse-heartbeat", "400ms"),
                Map.of("FAKE_KEY", KEY));
        upstream.behave(Behavior.answering("late").delays(Duration.ofSeconds(20), Duration.ZERO)); // the model "thinks"
        String id = server.newConversation();
        String body = "{\"content\":\"think hard\"}";
        var socket = new java.net.Socket("127.0.0.1", server.app().port());
        socket.getOutputStream().write(("POST /api/conversations/" + id + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] buffer = new byte[4096];
        String seen = "";
        while (!seen.contains("event: turn")) {
            seen += new String(buffer, 0, socket.getInputStream().read(buffer), java.nio.charset.StandardCharsets.UTF_8);
        }
        Eventually.within(Duration.ofSeconds(2), () -> upstream.openConnections() == 1, "the call reached upstream");

        long closedAt = System.nanoTime();
        socket.close();

        Eventually.within(Duration.ofMillis(1500), () -> upstream.openConnections() == 0, "upstream socket closed");
        long millis = (System.nanoTime() - closedAt) / 1_000_000;
        assertThat(millis).as("upstream closed %d ms after the tab", millis).isLessThan(1500); // about a second: two heartbeats
        Eventually.within(Duration.ofSeconds(1), () -> server.app().chat().runningTurns() == 0, "turn ended");
        assertThat(server.get("/api/conversations/" + id + "/messages?limit=1").body().at("/items/0/errorCode").asText())
                .isEqualTo("client_disconnected");
    }
}
