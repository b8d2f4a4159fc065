package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.TestServer;
import io.aichatbot.user.ApiKeys;
import io.aichatbot.user.User;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics and /admin/resources: names, bounded labels and who may read them. */
class MetricsTest {

    @TempDir
    Path dir;

    static String scrape(TestServer server, String token) throws Exception {
        var request = HttpRequest.newBuilder(server.uri("/metrics"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + "\n" + response.body();
    }

    @Test
    void metricsCoverHttpTurnsAndTheJvmWithRouteTemplatesNotIds() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            String id = server.newConversation();
            server.post("/api/conversations/" + id + "/messages", "{\"content\":\"count me\"}");
            server.get("/api/conversations/" + id + "/messages");
            server.get("/api/no/such/route/" + id);

            String text = scrape(server, null);

            assertThat(text).startsWith("200\n");
            assertThat(text).contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/conversations/{id}/messages\",status=\"201\"}");
            assertThat(text).contains("route=\"unmatched\"");
            assertThat(text).contains("chat_turns_total{error=\"none\",model=\"demo\",provider=\"demo\",status=\"complete\"} 1.0");
            assertThat(text).contains("chat_time_to_first_token_seconds_count", "chat_tokens_count", "chat_turns_active 0.0",
                    "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                    "process_files_open_files", "hikaricp_connections_active", "db_writes_queued", "http_sse_streams");
            assertThat(text).doesNotContain(id);
        }
    }

    @Test
    void theResourceViewGivesCurrentFiguresAndABoundedHistory() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("resources.sample-interval", "100ms", "resources.history", "5"))) {
            Thread.sleep(800);
            var resources = server.get("/admin/resources").body();

            assertThat(resources.at("/now/heapUsedBytes").asLong()).isPositive();
            assertThat(resources.at("/now/rssBytes").asLong()).isPositive();
            assertThat(resources.at("/now/threads").asInt()).isPositive();
            assertThat(resources.at("/now/openFiles").asLong()).isPositive();
            assertThat(resources.at("/now/app/turnsActive").asInt()).isZero();
            assertThat(resources.get("history").size()).isEqualTo(5);
        }
    }

    @Test
    void inTokenModeOnlyAdminsOrTheScrapeTokenMayRead() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.mode", "token", "metrics.scrape-token", "scrape-secret"))) {
            var users = new JdbcUserStore(server.app().database());
            String userKey = key(users, "user", false);
            String adminKey = key(users, "root", true);

            assertThat(scrape(server, null)).startsWith("401");
            assertThat(scrape(server, userKey)).startsWith("403");
            assertThat(scrape(server, adminKey)).startsWith("200");
            assertThat(scrape(server, "scrape-secret")).startsWith("200");
            assertThat(scrape(server, "scrape-secreT")).startsWith("401");
            assertThat(server.withToken(userKey).get("/admin/resources").status()).isEqualTo(403);
            assertThat(server.withToken(adminKey).get("/admin/resources").status()).isEqualTo(200);
        }
    }

    static String key(JdbcUserStore users, String name, boolean admin) {
        User user = users.createUser(name, admin, Instant.now());
        String key = ApiKeys.newKey();
        users.addApiKey(user.id(), ApiKeys.hash(key), ApiKeys.displayPrefix(key), Instant.now());
        return key;
    }
}
