package io.aichatbot.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.aichatbot.chat.ChatException;
import io.aichatbot.chat.ChatService;
import io.aichatbot.chat.Message;
import io.aichatbot.chat.StopReason;
import io.aichatbot.chat.Turn;
import io.aichatbot.chat.TurnResult;
import io.aichatbot.user.User;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/ws}: the same turn events as the SSE API over one WebSocket per tab.
 *
 * <p>Client frames (JSON text): {@code {"type":"auth","key":"..."}} (token mode, when the
 * upgrade carried no Authorization header), {@code {"type":"send","conversationId","content",
 * "model"?}}, {@code {"type":"regenerate","conversationId","model"?}}, {@code {"type":"stop","conversationId"}}.
 * Server frames: {@code turn},
 * {@code delta}, then one of {@code done}, {@code stopped}, {@code error} — each with the
 * conversationId — and {@code error} frames for refused requests. Frames are size-limited like
 * request bodies; closing the socket cancels every turn it started. Thread-safe: turns run on
 * virtual threads and a per-connection lock keeps their frames whole.
 */
final class ChatSocket {

    private static final Logger log = LoggerFactory.getLogger(ChatSocket.class);

    private final ChatService chat;
    private final Authenticator authenticator;
    private final long maxFrameBytes;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    /** One socket: who it is, and the turns it started. */
    private static final class Connection {
        final WsContext ctx;
        final ReentrantLock sendLock = new ReentrantLock();
        final Set<Turn> turns = ConcurrentHashMap.newKeySet();
        volatile User user;

        Connection(WsContext ctx) {
            this.ctx = ctx;
        }

        void send(Object frame) {
            sendLock.lock();
            try {
                ctx.send(Json.write(frame));
            } catch (RuntimeException closed) {
                throw new IllegalStateException("socket closed", closed);
            } finally {
                sendLock.unlock();
            }
        }
    }

    ChatSocket(ChatService chat, Authenticator authenticator, long maxFrameBytes) {
        this.chat = chat;
        this.authenticator = authenticator;
        this.maxFrameBytes = maxFrameBytes;
    }

    void register(RoutesConfig routes) {
        routes.ws("/api/ws", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setMaxTextMessageSize(maxFrameBytes);
                var connection = new Connection(ctx);
                connection.user = authenticator.fromKey(Authenticator.bearer(ctx.header("Authorization"))).orElse(null);
                connections.put(ctx.sessionId(), connection);
            });
            ws.onMessage(ctx -> {
                Connection connection = connections.get(ctx.sessionId());
                if (connection != null) {
                    onMessage(connection, ctx.message());
                }
            });
            ws.onClose(ctx -> closed(ctx.sessionId()));
            ws.onError(ctx -> closed(ctx.sessionId()));
        });
    }

    private void closed(String sessionId) {
        Connection connection = connections.remove(sessionId);
        if (connection != null) {
            connection.turns.forEach(turn -> turn.cancel(StopReason.CLIENT_GONE));
        }
    }

    private void onMessage(Connection connection, String text) {
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            connection.send(error(null, "malformed_json", "a frame must be a JSON object"));
            return;
        }
        String type = frame.path("type").asText("");
        String conversationId = frame.path("conversationId").isTextual() ? frame.path("conversationId").asText() : null;
        if (type.equals("auth")) {
            connection.user = authenticator.fromKey(frame.path("key").asText(null)).orElse(null);
            connection.send(connection.user == null ? error(null, "unauthorized", "invalid API key")
                    : Map.of("type", "authenticated"));
            return;
        }
        User user = connection.user;
        if (user == null) {
            connection.send(error(conversationId, "unauthorized", "send {\"type\":\"auth\",\"key\":\"...\"} first"));
            return;
        }
        try {
            switch (type) {
                case "send" -> send(connection, user, conversationId, frame);
                case "regenerate" -> run(connection, conversationId, chat.startRegeneration(user.id(), conversationId,
                        frame.path("model").isTextual() ? frame.path("model").asText() : null));
                case "stop" -> connection.send(Map.of("type", "stop", "conversationId", String.valueOf(conversationId),
                        "stopped", chat.stop(user.id(), conversationId)));
                default -> connection.send(error(conversationId, "invalid_request", "type must be auth, send, regenerate or stop"));
            }
        } catch (ChatException e) {
            connection.send(error(conversationId, e.error().code(), e.getMessage()));
        }
    }

    private void send(Connection connection, User user, String conversationId, JsonNode frame) {
        if (!frame.path("content").isTextual()) {
            connection.send(error(conversationId, "invalid_field", "field 'content' must be a string"));
            return;
        }
        String model = frame.path("model").isTextual() ? frame.path("model").asText() : null;
        run(connection, conversationId, chat.startTurn(user.id(), conversationId, frame.path("content").asText(), model));
    }

    /** Streams a committed turn's events to the socket. */
    private void run(Connection connection, String conversationId, Turn turn) {
        connection.turns.add(turn);
        // The turn runs on its own virtual thread so one socket can carry turns of several conversations.
        Thread.startVirtualThread(() -> {
            try {
                connection.send(Map.of("type", "turn", "conversationId", conversationId,
                        "conversation", Views.of(turn.start().conversation()),
                        "userMessage", Views.of(turn.start().userMessage()), "reply", Views.of(turn.start().reply())));
                TurnResult result = turn.run(true, delta -> {
                    try {
                        connection.send(Map.of("type", "delta", "conversationId", conversationId, "text", delta));
                    } catch (IllegalStateException closed) {
                        throw new IOException("socket closed", closed);
                    }
                });
                connection.send(terminal(conversationId, result));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException socketClosed) {
                turn.cancel(StopReason.CLIENT_GONE);
            } catch (RuntimeException e) {
                log.error("websocket turn failed", e);
            } finally {
                connection.turns.remove(turn);
            }
        });
    }

    private static Map<String, Object> terminal(String conversationId, TurnResult result) {
        Message reply = result.reply();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("conversationId", conversationId);
        switch (reply.status()) {
            case COMPLETE -> frame.put("type", "done");
            case STOPPED -> {
                frame.put("type", "stopped");
                frame.put("reason", reply.errorCode());
            }
            default -> {
                frame.put("type", "error");
                frame.put("error", new Views.ErrorView(reply.errorCode(),
                        result.failure() == null ? reply.errorCode() : result.failure().message()));
            }
        }
        frame.put("reply", Views.of(reply));
        return frame;
    }

    private static Map<String, Object> error(String conversationId, String code, String message) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("conversationId", conversationId);
        frame.put("error", new Views.ErrorView(code, message));
        return frame;
    }

    int openConnections() {
        return connections.size();
    }
}
