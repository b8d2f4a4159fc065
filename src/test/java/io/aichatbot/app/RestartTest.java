package io.aichatbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability across real processes: the server runs as a child JVM, is killed with SIGKILL
 * (no shutdown hook, no flush), and a new process must find every acknowledged write.
 */
class RestartTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    Process process;
    int port;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    void startServer(String tokenDelay) throws Exception {
        startServer(tokenDelay, "20s");
    }

    void startServer(String tokenDelay, String shutdownGrace) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.aichatbot.app.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dir.toString(), "--set", "model.demo.token-delay=" + tokenDelay,
                "--set", "server.shutdown-grace=" + shutdownGrace, "--set", "server.sse-heartbeat=200ms")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + System.nanoTime() + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (call("GET", "/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("server did not start: " + logs());
            }
            Thread.sleep(100);
        }
    }

    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(log));
            }
        }
        return all.toString();
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, String body) throws Exception {
        return JSON.readTree(call(method, path, body).body());
    }

    @Test
    void acknowledgedMessagesSurviveAKilledProcessAndAFreshStart() throws Exception {
        startServer("0ms");
        String id = json("POST", "/api/conversations", "").get("id").asText();
        for (int i = 0; i < 5; i++) {
            assertThat(call("POST", "/api/conversations/" + id + "/messages", "{\"content\":\"turn " + i + "\"}").statusCode())
                    .isEqualTo(201);
        }
        process.destroyForcibly().waitFor();

        startServer("0ms");

        JsonNode page = json("GET", "/api/conversations/" + id + "/messages?order=asc&limit=100", null);
        assertThat(page.get("items")).hasSize(10);
        List<String> userTexts = page.get("items").findValues("content").stream().map(JsonNode::asText)
                .filter(text -> text.startsWith("turn ")).toList();
        assertThat(userTexts).containsExactly("turn 0", "turn 1", "turn 2", "turn 3", "turn 4");
        assertThat(page.findValues("status")).allSatisfy(status -> assertThat(status.asText()).isEqualTo("complete"));
    }

    @Test
    void aReplyCutByACrashIsMarkedFailedAndTheConversationTakesNewTurns() throws Exception {
        startServer("200ms");
        String id = json("POST", "/api/conversations", "").get("id").asText();
        // A streamed turn that will be mid-answer when the process dies.
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations/" + id + "/messages"))
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"doomed\"}")).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        byte[] first = response.body().readNBytes(64); // the "turn" event: the user message is committed
        assertThat(new String(first)).contains("event: turn");
        process.destroyForcibly().waitFor();

        startServer("0ms");

        JsonNode items = json("GET", "/api/conversations/" + id + "/messages?order=asc", null).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("content").asText()).isEqualTo("doomed");
        assertThat(items.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(items.get(1).get("errorCode").asText()).isEqualTo("interrupted");
        assertThat(call("POST", "/api/conversations/" + id + "/messages", "{\"content\":\"again\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void sigtermDuringALiveStreamEndsItAsStoppedSavesThePartialAnswerAndExitsZero() throws Exception {
        startServer("100ms", "1s");
        String id = json("POST", "/api/conversations", "").get("id").asText();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations/" + id + "/messages"))
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"long one\"}")).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        var lines = response.body().iterator();
        int deltas = 0;
        while (deltas < 2 && lines.hasNext()) {
            if (lines.next().equals("event: delta")) {
                deltas++;
            }
        }
        assertThat(call("GET", "/health/ready", null).statusCode()).isEqualTo(200);

        process.destroy(); // SIGTERM
        String lastEvent = null;
        String lastData = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                lastEvent = line.substring(7);
            } else if (line.startsWith("data: ")) {
                lastData = line.substring(6);
            }
        }
        int exit = process.waitFor();

        assertThat(lastEvent).isEqualTo("stopped");
        assertThat(JSON.readTree(lastData).get("reason").asText()).isEqualTo("shutdown");
        assertThat(exit).isZero();
        startServer("0ms");
        JsonNode reply = json("GET", "/api/conversations/" + id + "/messages?limit=1", null).get("items").get(0);
        assertThat(reply.get("status").asText()).isEqualTo("stopped");
        assertThat(reply.get("errorCode").asText()).isEqualTo("shutdown");
        assertThat(reply.get("content").asText()).isNotEmpty();
    }
}
