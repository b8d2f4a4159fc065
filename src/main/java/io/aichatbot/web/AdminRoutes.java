package io.aichatbot.web;

import io.aichatbot.jobs.JobRun;
import io.aichatbot.jobs.JobScheduler;
import io.aichatbot.metrics.Metrics;
import io.aichatbot.usage.UsageStore;
import io.aichatbot.metrics.ResourceSampler;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Operator endpoints: Prometheus metrics and the resource view. In token mode both need an
 * admin key; /metrics also accepts its own scrape token so a Prometheus server needs no user.
 */
final class AdminRoutes {

    private final Metrics metrics;
    private final ResourceSampler sampler;
    private final Authenticator authenticator;
    private final String scrapeToken;
    private final JobScheduler jobs;
    private final UsageStore usage;

    AdminRoutes(Metrics metrics, ResourceSampler sampler, Authenticator authenticator, String scrapeToken, JobScheduler jobs,
                UsageStore usage) {
        this.jobs = jobs;
        this.usage = usage;
        this.metrics = metrics;
        this.sampler = sampler;
        this.authenticator = authenticator;
        this.scrapeToken = scrapeToken;
    }

    void register(RoutesConfig routes) {
        routes.get("/metrics", this::metrics);
        routes.get("/admin/resources", this::resources);
        routes.get("/admin/jobs", this::jobs);
        routes.post("/admin/jobs/{name}/run", this::runJob);
        routes.get("/admin/usage", this::usage);
        routes.get("/admin", ctx -> ctx.redirect("/admin/index.html"));
    }

    /** Usage per day, model and user from the rollups; {@code format=csv} for a spreadsheet. */
    private void usage(Context ctx) {
        authenticator.requireAdmin(ctx);
        String from = day(ctx, "from", "0000-01-01");
        String to = day(ctx, "to", "9999-12-31");
        var rows = usage.report(from, to, 10_000);
        if ("csv".equals(ctx.queryParam("format"))) {
            StringBuilder csv = new StringBuilder("day,user,model,requests,errors,input_tokens,output_tokens,cost_usd,avg_latency_ms\n");
            for (UsageStore.UsageRow row : rows) {
                csv.append(row.day()).append(',').append(csvField(row.user())).append(',').append(csvField(row.model()))
                        .append(',').append(row.requests()).append(',').append(row.errors()).append(',')
                        .append(row.inputTokens()).append(',').append(row.outputTokens()).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.6f", row.costUsd())).append(',')
                        .append(row.averageLatencyMs()).append('\n');
            }
            ctx.status(200).contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=usage.csv")
                    .result(csv.toString());
            return;
        }
        ChatRoutes.ok(ctx, 200, Map.of("from", from, "to", to, "rows", rows));
    }

    private static String day(Context ctx, String name, String fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new ApiException(400, "invalid_parameter", name + " must be a date like 2026-01-31");
        }
        return value;
    }

    /** Quotes a CSV field, and defuses a leading = + - @ so a spreadsheet does not run it as a formula. */
    static String csvField(String value) {
        String safe = value.matches("^[=+\\-@].*") ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private void jobs(Context ctx) {
        authenticator.requireAdmin(ctx);
        ChatRoutes.ok(ctx, 200, Map.of("jobs", jobs.names(), "runs", jobs.recentRuns(100).stream().map(AdminRoutes::view).toList()));
    }

    /** Runs a job now, on this request's thread; 409 when another run holds its lease. */
    private void runJob(Context ctx) {
        authenticator.requireAdmin(ctx);
        String name = ctx.pathParam("name");
        if (!jobs.names().contains(name)) {
            throw new ApiException(404, "not_found", "no job named '" + name + "'; jobs: " + jobs.names());
        }
        var run = jobs.runNow(name);
        if (run.isEmpty()) {
            throw new ApiException(409, "job_running", "job " + name + " is running (here or on another instance)");
        }
        ChatRoutes.ok(ctx, 200, view(run.get()));
    }

    record JobRunView(String id, String job, String owner, String startedAt, String endedAt, Long rowsTouched,
                      String outcome, String message) {}

    static JobRunView view(JobRun run) {
        return new JobRunView(run.id(), run.job(), run.owner(), run.startedAt().toString(),
                run.endedAt() == null ? null : run.endedAt().toString(), run.rowsTouched(), run.outcome(), run.message());
    }

    private void metrics(Context ctx) {
        if (!hasScrapeToken(ctx)) {
            authenticator.requireAdmin(ctx);
        }
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private boolean hasScrapeToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (scrapeToken == null || header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        // Constant-time: the comparison must not tell an attacker how much of the token was right.
        return MessageDigest.isEqual(header.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                scrapeToken.getBytes(StandardCharsets.UTF_8));
    }

    private void resources(Context ctx) {
        authenticator.requireAdmin(ctx);
        ChatRoutes.ok(ctx, 200, Map.of("now", sampler.now(), "history", sampler.history()));
    }
}
