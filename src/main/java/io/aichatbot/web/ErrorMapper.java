package io.aichatbot.web;

import io.aichatbot.chat.ChatError;
import io.aichatbot.chat.ChatException;
import io.aichatbot.chat.TurnResult;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place an exception becomes an HTTP status and a JSON error body with a stable code.
 * No stack trace or SQL ever reaches a client; unexpected failures are logged with an id the
 * client also gets, so an operator can find them.
 */
final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static int status(ChatError error) {
        return switch (error) {
            case NOT_FOUND -> 404;
            case INVALID_REQUEST, INVALID_CURSOR, INVALID_ID, EMPTY_MESSAGE, UNKNOWN_MODEL, NOT_AN_ASSISTANT_MESSAGE -> 400;
            case MESSAGE_TOO_LARGE, MESSAGE_TOO_LONG_FOR_MODEL -> 413;
            case TURN_IN_PROGRESS, CONVERSATION_FULL, NOTHING_TO_REGENERATE -> 409;
            case SHUTTING_DOWN, STORE_BUSY -> 503;
        };
    }

    /** Upstream failures: a timeout is 504, no capacity here 503, anything else the provider did wrong 502. */
    static int status(ModelFailure failure) {
        return switch (failure.kind()) {
            case TIMEOUT -> 504;
            case BUSY -> 503;
            default -> 502;
        };
    }

    static String code(ModelFailure failure) {
        return TurnResult.errorCode(failure);
    }

    static void chat(ChatException e, Context ctx) {
        respond(ctx, status(e.error()), e.error().code(), e.getMessage());
    }

    static void api(ApiException e, Context ctx) {
        respond(ctx, e.status(), e.code(), e.getMessage());
    }

    /** Javalin's own refusals: unmatched routes, wrong methods, bodies over the size limit. */
    static void http(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        String code = switch (status) {
            case 404 -> "route_not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
        String message = switch (status) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 413 -> "the request body is larger than this server accepts";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? code : e.getMessage();
        };
        respond(ctx, status, code, message);
    }

    static void store(StoreException e, Context ctx) {
        String incident = Long.toHexString(System.nanoTime());
        log.error("database failure, incident {}", incident, e);
        respond(ctx, 503, "database_unavailable", "the database could not complete the request (incident " + incident + ")");
    }

    static void unexpected(Exception e, Context ctx) {
        String incident = Long.toHexString(System.nanoTime());
        log.error("unexpected failure on {} {}, incident {}", ctx.method(), ctx.path(), incident, e);
        respond(ctx, 500, "internal_error", "something went wrong on our side (incident " + incident + ")");
    }

    static void respond(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType("application/json").result(Json.write(Views.error(code, message)));
    }
}
