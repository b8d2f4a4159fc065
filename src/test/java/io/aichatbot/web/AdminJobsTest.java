package io.aichatbot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminJobsTest {

    @TempDir
    Path dir;

    @Test
    void anAdminCanListJobsRunOneNowAndReadTheRunLog() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("retention.max-idle-days", "365", "retention.dry-run", "true"))) {
            var jobs = server.get("/admin/jobs").body();
            assertThat(jobs.get("jobs").toString()).contains("integrity", "db-upkeep", "retention");

            var run = server.post("/admin/jobs/integrity/run", "");
            var dryRun = server.post("/admin/jobs/retention/run", "");

            assertThat(run.status()).isEqualTo(200);
            assertThat(run.body().get("outcome").asText()).isEqualTo("ok");
            assertThat(dryRun.body().get("message").asText()).startsWith("dry run");
            assertThat(server.get("/admin/jobs").body().get("runs")).hasSize(2);
            assertThat(server.post("/admin/jobs/nope/run", "").code()).isEqualTo("not_found");
            String metrics = java.net.http.HttpClient.newHttpClient().send(server.request("/metrics").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("jobs_runs_total{job=\"integrity\",outcome=\"ok\"} 1.0", "jobs_run_duration_seconds_count",
                    "queue_depth", "queue_tasks_rejected_total");
        }
    }

    @Test
    void inTokenModeJobsNeedAnAdminKey() {
        try (TestServer server = TestServer.start(dir, Map.of("auth.mode", "token"))) {
            var users = new JdbcUserStore(server.app().database());
            String userKey = MetricsTest.key(users, "user", false);
            String adminKey = MetricsTest.key(users, "root", true);

            assertThat(server.get("/admin/jobs").status()).isEqualTo(401);
            assertThat(server.withToken(userKey).post("/admin/jobs/integrity/run", "").status()).isEqualTo(403);
            assertThat(server.withToken(adminKey).post("/admin/jobs/integrity/run", "").status()).isEqualTo(200);
        }
    }

    @Test
    void usageIsRolledUpPerDayModelAndUserAndExportsAsCsv() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            String id = server.newConversation();
            for (int i = 0; i < 3; i++) {
                server.post("/api/conversations/" + id + "/messages", "{\"content\":\"count me\"}");
            }
            io.aichatbot.testing.Eventually.within(java.time.Duration.ofSeconds(3),
                    () -> server.get("/admin/usage").body().at("/rows/0/requests").asInt() == 3, "usage rolled up");

            var row = server.get("/admin/usage").body().at("/rows/0");
            assertThat(row.get("user").asText()).isEqualTo("local");
            assertThat(row.get("model").asText()).isEqualTo("demo");
            assertThat(row.get("outputTokens").asLong()).isPositive();
            var csv = java.net.http.HttpClient.newHttpClient().send(server.request("/admin/usage?format=csv").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
            assertThat(csv.body().lines().toList()).hasSize(2).first().asString().startsWith("day,user,model,requests");
            assertThat(server.get("/admin/usage?from=yesterday").code()).isEqualTo("invalid_parameter");
        }
    }

    @Test
    void csvFieldsCannotSmuggleSpreadsheetFormulas() {
        assertThat(AdminRoutes.csvField("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AdminRoutes.csvField("alice")).isEqualTo("\"alice\"");
    }

    @Test
    void theAdminPageIsServedFromTheJarUnderTheContentSecurityPolicy() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            var http = java.net.http.HttpClient.newHttpClient();
            var redirect = http.send(server.request("/admin").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            var page = http.send(server.request("/admin/index.html").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            var script = http.send(server.request("/admin/admin.js").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/admin/index.html"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("AIChatBot", "admin.js");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
            assertThat(script.statusCode()).isEqualTo(200);
        }
    }
}
