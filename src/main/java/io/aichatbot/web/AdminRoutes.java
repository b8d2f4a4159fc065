package io.aichatbot.web;

import io.aichatbot.jobs.JobRun;
import io.aichatbot.jobs.JobScheduler;
import io.aichatbot.metrics.Metrics;
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

    AdminRoutes(Metrics metrics, ResourceSampler sampler, Authenticator authenticator, String scrapeToken, JobScheduler jobs) {
        this.jobs = jobs;
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
