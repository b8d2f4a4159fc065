package io.aichatbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.FakeOpenAiServer;
import io.aichatbot.testing.FakeOpenAiServer.Behavior;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary API key must never show up in anything the server writes: its log, its database
 * files, API answers (errors included, even when the provider echoes the key back), metrics
 * or the resource view.
 */
class SecretCanaryTest {

    static final String CANARY = "sk-CANARY-7f3a9c1e5b2d4f6a8c0e";

    @TempDir
    Path dir;

    @Test
    void theKeyAppearsNowhereTheServerWrites() throws Exception {
        try (var upstream = new FakeOpenAiServer()) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = dir.resolve("server.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // Debug logging everywhere, so the grep below covers everything the server could log.
            var builder = new ProcessBuilder(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                    "-cp", System.getProperty("java.class.path"), "io.aichatbot.app.Main", "serve",
                    "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString(),
                    "--set", "models=gpt", "--set", "model.gpt.base-url=" + upstream.baseUrl(),
                    "--set", "model.gpt.api-key-env=CANARY_KEY", "--set", "routing.backoff-base=1ms")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("CANARY_KEY", CANARY);
            Process server = builder.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + port;
                awaitReady(http, base, server);
                List<String> answers = new ArrayList<>();
                String id = send(http, "POST", base + "/api/conversations", "").replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                String turn = base + "/api/conversations/" + id + "/messages";
                answers.add(send(http, "POST", turn, "{\"content\":\"hello\"}"));
                upstream.behave(Behavior.error(401, "invalid_request_error", "Incorrect API key provided: " + CANARY));
                answers.add(send(http, "POST", turn, "{\"content\":\"again\"}"));
                upstream.behave(Behavior.error(500, "server_error", "internal error for key " + CANARY));
                answers.add(send(http, "POST", turn, "{\"content\":\"and again\"}"));
                answers.add(send(http, "GET", base + "/api/conversations/" + id + "/messages?limit=100", null));
                answers.add(send(http, "GET", base + "/metrics", null));
                answers.add(send(http, "GET", base + "/admin/resources", null));
                answers.add(send(http, "GET", base + "/api/models", null));

                assertThat(upstream.requests.getFirst().headers().get("Authorization")).isEqualTo("Bearer " + CANARY);
                assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(CANARY).doesNotContain("CANARY-7f3a"));
            } finally {
                server.destroy();
                server.waitFor();
            }
            assertThat(Files.readString(log)).contains("listening").doesNotContain(CANARY).doesNotContain("CANARY-7f3a");
            try (var files = Files.walk(dir.resolve("data"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(file.toString()).doesNotContain(CANARY).doesNotContain("CANARY-7f3a");
                }
            }
        }
    }

    static void awaitReady(HttpClient http, String base, Process server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException starting) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not start");
    }

    static String send(HttpClient http, String method, String url, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
