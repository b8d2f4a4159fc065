package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.Eventually;
import io.aichatbot.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/ws over a real socket with the JDK's WebSocket client. */
class ChatSocketTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    /** A client that queues every frame it receives. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Client connect(TestServer server, String authorization) throws Exception {
            var client = new Client();
            var builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + server.app().port() + "/api/ws"), client)
                    .get(5, TimeUnit.SECONDS);
            return client;
        }

        void send(String frame) {
            socket.sendText(frame, true).join();
        }

        JsonNode next() throws InterruptedException {
            JsonNode frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 s").isNotNull();
            return frame;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    @Test
    void aTurnOverTheSocketStreamsTheSameEventsAsSse() throws Exception {
        server = TestServer.start(dir, Map.of());
        String id = server.newConversation();
        Client client = Client.connect(server, null);

        client.send("{\"type\":\"send\",\"conversationId\":\"" + id + "\",\"content\":\"over a socket\"}");

        JsonNode first = client.next();
        assertThat(first.get("type").asText()).isEqualTo("turn");
        assertThat(first.at("/userMessage/content").asText()).isEqualTo("over a socket");
        StringBuilder text = new StringBuilder();
        JsonNode frame;
        while ((frame = client.next()).get("type").asText().equals("delta")) {
            text.append(frame.get("text").asText());
        }
        assertThat(frame.get("type").asText()).isEqualTo("done");
        assertThat(frame.at("/reply/content").asText()).isEqualTo(text.toString());
        assertThat(frame.get("conversationId").asText()).isEqualTo(id);

        client.send("{\"type\":\"regenerate\",\"conversationId\":\"" + id + "\"}");

        JsonNode again = client.next();
        assertThat(again.get("type").asText()).isEqualTo("turn");
        assertThat(again.at("/userMessage/content").asText()).as("the same question").isEqualTo("over a socket");
        assertThat(again.at("/reply/seq").asInt()).isEqualTo(3);
        while ((frame = client.next()).get("type").asText().equals("delta")) {
            // the new answer streams like any other
        }
        assertThat(frame.get("type").asText()).isEqualTo("done");
        assertThat(server.get("/api/conversations/" + id).body().get("messageCount").asInt()).isEqualTo(3);
    }

    @Test
    void closingTheSocketCancelsItsRunningTurn() throws Exception {
        server = TestServer.start(dir, Map.of("model.demo.token-delay", "50ms"));
        String id = server.newConversation();
        Client client = Client.connect(server, null);
        client.send("{\"type\":\"send\",\"conversationId\":\"" + id + "\",\"content\":\"long\"}");
        client.next(); // turn
        client.next(); // first delta

        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

        Eventually.within(Duration.ofSeconds(3), () -> server.app().chat().runningTurns() == 0, "turn cancelled");
        JsonNode reply = server.get("/api/conversations/" + id + "/messages?limit=1").body().at("/items/0");
        assertThat(reply.get("status").asText()).isEqualTo("stopped");
        assertThat(reply.get("errorCode").asText()).isEqualTo("client_disconnected");
    }

    @Test
    void badFramesGetErrorFramesAndTheSocketStaysUsable() throws Exception {
        server = TestServer.start(dir, Map.of());
        Client client = Client.connect(server, null);

        client.send("{not json");
        client.send("{\"type\":\"dance\"}");
        client.send("{\"type\":\"send\",\"conversationId\":\"nope\",\"content\":\"x\"}");

        assertThat(Stream.of(client.next(), client.next(), client.next()).map(f -> f.at("/error/code").asText())
                .collect(Collectors.toList())).containsExactly("malformed_json", "invalid_request", "invalid_id");
    }

    @Test
    void framesOverTheSizeLimitCloseTheSocket() throws Exception {
        server = TestServer.start(dir, Map.of("chat.max-message-bytes", "100"));
        Client client = Client.connect(server, null);

        client.socket.sendText("{\"type\":\"send\",\"content\":\"" + "x".repeat(200_000) + "\"}", true);

        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009); // "message too big"
    }

    @Test
    void inTokenModeASocketMustAuthenticateAndSeesOnlyItsOwnConversations() throws Exception {
        server = TestServer.start(dir, Map.of("auth.mode", "token"));
        var users = new JdbcUserStore(server.app().database());
        String aliceKey = MetricsTest.key(users, "alice", false);
        String bobKey = MetricsTest.key(users, "bob", false);
        String aliceConversation = server.withToken(aliceKey).newConversation();

        Client browser = Client.connect(server, null);
        browser.send("{\"type\":\"send\",\"conversationId\":\"" + aliceConversation + "\",\"content\":\"hi\"}");
        assertThat(browser.next().at("/error/code").asText()).isEqualTo("unauthorized");
        browser.send("{\"type\":\"auth\",\"key\":\"" + bobKey + "\"}");
        assertThat(browser.next().get("type").asText()).isEqualTo("authenticated");
        browser.send("{\"type\":\"send\",\"conversationId\":\"" + aliceConversation + "\",\"content\":\"hi\"}");
        assertThat(browser.next().at("/error/code").asText()).isEqualTo("not_found");

        Client program = Client.connect(server, "Bearer " + aliceKey);
        program.send("{\"type\":\"send\",\"conversationId\":\"" + aliceConversation + "\",\"content\":\"hi\"}");
        assertThat(program.next().get("type").asText()).isEqualTo("turn");
    }
}
