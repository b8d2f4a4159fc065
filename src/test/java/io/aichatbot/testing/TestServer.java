package io.aichatbot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.app.App;
import io.aichatbot.config.SettingsLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A real AIChatBot server on an ephemeral port, with a small HTTP client for tests. */
public final class TestServer implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final App app;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    private TestServer(App app) {
        this.app = app;
    }

    /** Starts on a SQLite database in {@code dataDir}; the demo model answers instantly unless overridden. */
    public static TestServer start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, Map.of());
    }

    public static TestServer start(Path dataDir, Map<String, String> settings, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("data-dir", dataDir.toString());
        all.put("model.demo.token-delay", "0ms");
        all.put("server.sse-heartbeat", "200ms");
        all.put("server.shutdown-grace", "2s");
        all.putAll(settings);
        return new TestServer(App.start(SettingsLoader.of(all).settings(), env, InstantSource.system()));
    }

    public TestServer withToken(String token) {
        this.token = token;
        return this;
    }

    public App app() {
        return app;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String code() {
            return body.path("error").path("code").asText(null);
        }
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response patch(String path, String body) {
        return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a conversation and returns its id. */
    public String newConversation() {
        Response response = post("/api/conversations", "");
        if (response.status() != 201) {
            throw new IllegalStateException("create failed: " + response.status() + " " + response.body());
        }
        return response.body().get("id").asText();
    }

    public record SseEvent(String event, JsonNode data) {}

    /** Posts a turn with Accept: text/event-stream and reads events until the stream ends. */
    public List<SseEvent> stream(String conversationId, String body) {
        return stream(conversationId, body, event -> false);
    }

    /** Like {@link #stream(String, String)}, calling {@code onEvent} for each event as it arrives. */
    public List<SseEvent> stream(String conversationId, String body, Predicate<SseEvent> onEvent) {
        return streamPost("/api/conversations/" + conversationId + "/messages", body, onEvent);
    }

    /** POSTs {@code body} to {@code path} with Accept: text/event-stream and reads events until the stream ends. */
    public List<SseEvent> streamPost(String path, String body, Predicate<SseEvent> onEvent) {
        HttpRequest request = request(path)
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        List<SseEvent> events = new ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                events.add(new SseEvent("http_" + response.statusCode(), JSON.readTree(text)));
                return events;
            }
            try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        var parsed = new SseEvent(event, JSON.readTree(line.substring(6)));
                        events.add(parsed);
                        onEvent.test(parsed);
                    }
                }
            }
            return events;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
