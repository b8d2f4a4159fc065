package io.aichatbot.web;

import io.aichatbot.chat.ChatService;
import io.aichatbot.chat.Feedback;
import io.aichatbot.chat.Message;
import io.aichatbot.chat.SortOrder;
import io.aichatbot.chat.StopReason;
import io.aichatbot.chat.Turn;
import io.aichatbot.chat.TurnResult;
import io.aichatbot.llm.ModelEntry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat API under /api: conversations, message pages, turns (JSON or SSE), stop, feedback, models. */
final class ChatRoutes {

    private static final Logger log = LoggerFactory.getLogger(ChatRoutes.class);

    private static final int DEFAULT_PAGE = 50;

    private final ChatService chat;
    private final Heartbeats heartbeats;

    ChatRoutes(ChatService chat, Heartbeats heartbeats) {
        this.chat = chat;
        this.heartbeats = heartbeats;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/models", this::models);
        routes.post("/api/conversations", this::create);
        routes.get("/api/conversations", this::list);
        routes.get("/api/conversations/{id}", this::get);
        routes.patch("/api/conversations/{id}", this::rename);
        routes.delete("/api/conversations/{id}", this::delete);
        routes.get("/api/conversations/{id}/messages", this::messages);
        routes.post("/api/conversations/{id}/messages", this::send);
        routes.post("/api/conversations/{id}/regenerate", this::regenerate);
        routes.post("/api/conversations/{id}/stop", this::stop);
        routes.get("/api/messages/{id}", this::message);
        routes.post("/api/messages/{id}/feedback", this::giveFeedback);
        routes.get("/api/messages/{id}/feedback", this::feedback);
    }

    private void models(Context ctx) {
        List<Map<String, Object>> models = chat.models().listed().stream().map(ChatRoutes::modelView).toList();
        ok(ctx, 200, Map.of("models", models, "defaultModel", chat.models().defaultModel()));
    }

    private static Map<String, Object> modelView(ModelEntry model) {
        return Map.of("name", model.name(), "provider", model.provider(), "contextWindow", model.contextWindow(),
                "maxOutputTokens", model.maxOutputTokens());
    }

    private void create(Context ctx) {
        var body = Json.parse(ctx.bodyAsBytes(), Requests.CreateConversation.class, new Requests.CreateConversation(null, null));
        ok(ctx, 201, Views.of(chat.createConversation(userId(ctx), body.title(), body.model())));
    }

    private void list(Context ctx) {
        ok(ctx, 200, Views.of(chat.conversations(userId(ctx), cursor(ctx), limit(ctx)), Views::of));
    }

    private void get(Context ctx) {
        ok(ctx, 200, Views.of(chat.conversation(userId(ctx), ctx.pathParam("id"))));
    }

    private void rename(Context ctx) {
        var body = Json.parse(ctx.bodyAsBytes(), Requests.Rename.class, null);
        if (body.title() == null) {
            throw new ApiException(400, "invalid_field", "field 'title' is required");
        }
        ok(ctx, 200, Views.of(chat.rename(userId(ctx), ctx.pathParam("id"), body.title())));
    }

    private void delete(Context ctx) {
        chat.delete(userId(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void messages(Context ctx) {
        String order = ctx.queryParam("order");
        SortOrder sort = switch (order == null ? "desc" : order) {
            case "desc", "newest" -> SortOrder.NEWEST_FIRST;
            case "asc", "oldest" -> SortOrder.OLDEST_FIRST;
            default -> throw new ApiException(400, "invalid_parameter", "order must be 'desc' (newest first) or 'asc'");
        };
        var page = chat.messages(userId(ctx), ctx.pathParam("id"), cursor(ctx), limit(ctx), sort);
        var feedback = chat.feedbackFor(userId(ctx), page.items());
        ok(ctx, 200, Views.of(page, message -> Views.of(message, feedback.get(message.id()))));
    }

    private void send(Context ctx) throws InterruptedException, IOException {
        var body = Json.parse(ctx.bodyAsBytes(), Requests.SendMessage.class, null);
        if (body.content() == null) {
            throw new ApiException(400, "invalid_field", "field 'content' is required");
        }
        // Committed here: from this line on the user's message is durable whatever happens next.
        answer(ctx, chat.startTurn(userId(ctx), ctx.pathParam("id"), body.content(), body.model()));
    }

    /** A new answer to the conversation's last question; the body (optional) may name another model. */
    private void regenerate(Context ctx) throws InterruptedException, IOException {
        var body = Json.parse(ctx.bodyAsBytes(), Requests.Regenerate.class, new Requests.Regenerate(null));
        answer(ctx, chat.startRegeneration(userId(ctx), ctx.pathParam("id"), body.model()));
    }

    /** Runs a committed turn and answers with its reply: as JSON, or streamed when the client asks for SSE. */
    private void answer(Context ctx, Turn turn) throws InterruptedException, IOException {
        String accept = ctx.header(Header.ACCEPT);
        if (accept != null && accept.contains("text/event-stream")) {
            stream(ctx, turn);
            return;
        }
        TurnResult result = turn.run(false, text -> {});
        var view = new Views.TurnView(Views.of(turn.start().conversation()), Views.of(turn.start().userMessage()),
                Views.of(result.reply()));
        if (result.failure() != null) {
            ok(ctx, ErrorMapper.status(result.failure()), Map.of("error",
                    new Views.ErrorView(ErrorMapper.code(result.failure()), result.failure().message()),
                    "userMessage", view.userMessage(), "reply", view.reply()));
            return;
        }
        ok(ctx, 201, view);
    }

    /**
     * Event order: {@code turn} (the committed user message and reply id), {@code delta}*, then
     * exactly one of {@code done}, {@code stopped} or {@code error}. A client that sees the stream
     * end without one of those three knows the answer is incomplete.
     */
    private void stream(Context ctx, Turn turn) throws InterruptedException {
        ctx.status(200);
        var response = ctx.res();
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise buffer the whole answer
        SseStream sse;
        try {
            sse = new SseStream(response.getOutputStream());
            sse.event("turn", new Views.TurnView(Views.of(turn.start().conversation()), Views.of(turn.start().userMessage()),
                    Views.of(turn.start().reply())));
        } catch (IOException gone) {
            turn.cancel(StopReason.CLIENT_GONE);
            turn.run(true, text -> {});
            return;
        }
        // The stream counts as open until its last event is written: shutdown waits for that.
        var registration = heartbeats.register(sse, () -> turn.cancel(StopReason.CLIENT_GONE));
        try {
            TurnResult result = turn.run(true, text -> sse.event("delta", Map.of("text", text)));
            finishStream(sse, result);
        } finally {
            heartbeats.unregister(registration);
        }
    }

    private static void finishStream(SseStream sse, TurnResult result) {
        Message reply = result.reply();
        try {
            switch (reply.status()) {
                case COMPLETE -> sse.event("done", Map.of("reply", Views.of(reply)));
                case STOPPED -> sse.event("stopped", Map.of("reason", reply.errorCode(), "reply", Views.of(reply)));
                case FAILED -> sse.event("error", Map.of("error", new Views.ErrorView(reply.errorCode(),
                        result.failure() == null ? reply.errorCode() : result.failure().message()), "reply", Views.of(reply)));
                case STREAMING -> throw new IllegalStateException("a finished turn cannot be streaming");
            }
        } catch (IOException gone) {
            // The reply is saved; the client left before the last event. Nothing else to do.
        }
    }

    private void stop(Context ctx) {
        ok(ctx, 200, Map.of("stopped", chat.stop(userId(ctx), ctx.pathParam("id"))));
    }

    private void message(Context ctx) {
        Message message = chat.message(userId(ctx), ctx.pathParam("id"));
        ok(ctx, 200, Views.of(message, chat.feedbackFor(userId(ctx), List.of(message)).get(message.id())));
    }

    private void giveFeedback(Context ctx) {
        var body = Json.parse(ctx.bodyAsBytes(), Requests.GiveFeedback.class, null);
        Feedback.Rating rating = switch (body.rating() == null ? "" : body.rating()) {
            case "up" -> Feedback.Rating.UP;
            case "down" -> Feedback.Rating.DOWN;
            default -> throw new ApiException(400, "invalid_field", "field 'rating' must be 'up' or 'down'");
        };
        String comment = body.comment() == null || body.comment().isBlank() ? null : body.comment().strip();
        ok(ctx, 200, Views.of(chat.feedback(userId(ctx), ctx.pathParam("id"), rating, comment)));
    }

    private void feedback(Context ctx) {
        ok(ctx, 200, Views.of(chat.findFeedback(userId(ctx), ctx.pathParam("id"))));
    }

    private static String userId(Context ctx) {
        return Authenticator.user(ctx).id();
    }

    private static String cursor(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        return cursor == null || cursor.isEmpty() ? null : cursor;
    }

    private static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return DEFAULT_PAGE;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid_parameter", "limit must be a whole number from 1 to " + ChatService.MAX_PAGE);
        }
    }

    /**
     * Writes the JSON answer straight to the response: handing Javalin a result makes it copy
     * the bytes through a fresh 8 KB buffer on every request.
     */
    static void ok(Context ctx, int status, Object body) {
        byte[] bytes = Json.bytes(body);
        ctx.status(status).contentType("application/json");
        var response = ctx.res();
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IOException clientGone) {
            // The client hung up before its answer was written: nobody is left to answer, and
            // whatever the request changed is already committed.
            log.debug("client gone before the answer: {}", clientGone.toString());
        }
    }
}
