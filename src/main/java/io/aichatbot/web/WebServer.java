package io.aichatbot.web;

import io.aichatbot.chat.ChatException;
import io.aichatbot.chat.ChatService;
import io.aichatbot.config.AuthSettings;
import io.aichatbot.config.ServerSettings;
import io.aichatbot.store.StoreException;
import io.aichatbot.user.User;
import io.aichatbot.user.UserStore;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.aichatbot.jobs.JobScheduler;
import io.aichatbot.usage.UsageStore;
import io.aichatbot.metrics.Metrics;
import io.aichatbot.metrics.ResourceSampler;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The HTTP server: Javalin on Jetty 12, request handlers on virtual threads. {@link #routes} is
 * the whole route table, so tests exercise exactly what production serves.
 *
 * <p>Bounds: handler threads are virtual and not capped here; the real limits are the database
 * pool and write queue (503 when exhausted) and the request-size cap below.
 */
public final class WebServer implements AutoCloseable {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final Javalin app;
    private final Heartbeats heartbeats;

    public WebServer(ServerSettings settings, int maxMessageBytes, ChatService chat, UserStore users, User localUser,
                     AuthSettings.Mode authMode, BooleanSupplier databaseReady, Metrics metrics,
                     ResourceSampler sampler, String scrapeToken, JobScheduler jobs, UsageStore usage) {
        this.heartbeats = new Heartbeats(settings.sseHeartbeat());
        metrics.gauge("http.sse.streams", "open Server-Sent Events streams", heartbeats::size);
        var authenticator = new Authenticator(authMode, users, localUser);
        var chatRoutes = new ChatRoutes(chat, heartbeats);
        var assets = new StaticAssets();
        var socket = new ChatSocket(chat, authenticator, (long) maxMessageBytes * 6 + 64 * 1024);
        metrics.gauge("websocket.connections", "open /api/ws connections", socket::openConnections);
        var adminRoutes = new AdminRoutes(metrics, sampler, authenticator, scrapeToken, jobs, usage);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            // JSON escapes can make a message up to 6x longer on the wire (\\uXXXX); allow that plus framing.
            config.http.maxRequestSize = (long) maxMessageBytes * 6 + 64 * 1024;
            // The page and its assets come from StaticAssets (class path, versioned, under the CSP);
            // no static-file handler, which would index the whole jar on the heap.
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.requestLogger.http((ctx, millis) -> metrics.httpRequest(ctx.method().name(), route(ctx),
                    ctx.statusCode(), Duration.ofNanos((long) (millis * 1_000_000))));
            adminRoutes.register(config.routes);
            assets.register(config.routes);
            socket.register(config.routes);
            routes(config.routes, authenticator, chatRoutes, chat, databaseReady);
        });
    }

    static void routes(RoutesConfig routes, Authenticator authenticator, ChatRoutes chatRoutes, ChatService chat,
                       BooleanSupplier databaseReady) {
        routes.before("/api/*", authenticator::authenticate);
        routes.get("/health/live", ctx -> ChatRoutes.ok(ctx, 200, Map.of("status", "up")));
        routes.get("/health/ready", ctx -> {
            boolean shuttingDown = chat.isShuttingDown();
            boolean database = databaseReady.getAsBoolean();
            boolean ready = database && !shuttingDown;
            ChatRoutes.ok(ctx, ready ? 200 : 503, Map.of("status", ready ? "ready" : "not_ready",
                    "database", database ? "up" : "down", "shuttingDown", shuttingDown));
        });
        chatRoutes.register(routes);
        routes.exception(ChatException.class, ErrorMapper::chat);
        routes.exception(ApiException.class, ErrorMapper::api);
        routes.exception(HttpResponseException.class, ErrorMapper::http);
        routes.exception(StoreException.class, ErrorMapper::store);
        routes.exception(Exception.class, ErrorMapper::unexpected);
    }

    /** The route template, never the raw path: raw paths hold ids and would make unbounded label sets. */
    private static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        if (endpoint != null) {
            return endpoint.path;
        }
        return ctx.statusCode() == 404 ? "unmatched" : "static";
    }

    public WebServer start() {
        app.start();
        return this;
    }

    /** Event streams still open (their last event not yet written). */
    public int openStreams() {
        return heartbeats.size();
    }

    /** The bound port (useful with port 0 in tests). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        heartbeats.close();
        app.stop();
    }
}
