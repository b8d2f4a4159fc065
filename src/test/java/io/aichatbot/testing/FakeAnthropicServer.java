package io.aichatbot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A local Anthropic Messages API server for tests, replaying the documented wire format: whole
 * {@code message} objects, named SSE events (message_start, content_block_start, ping,
 * content_block_delta, content_block_stop, message_delta, message_stop), {@code event: error}
 * inside a 200 stream, and the error body {@code {"type":"error","error":{"type","message"},
 * "request_id"}} with a {@code request-id} header (and {@code retry-after} on 429/529).
 *
 * <p>Same design as {@link FakeOpenAiServer}: hand-written HTTP/1.1 on a ServerSocket so tests
 * can count open TCP connections and script misbehaviour (cut, stall, delay). Thread-safe; one
 * virtual thread per connection.
 */
public final class FakeAnthropicServer extends FakeHttpServer {

    public static final int INPUT_TOKENS = 25;

    /** What the next responses look like; change it between calls with {@link #behave}. */
    public record Behavior(List<String> deltas, int status, String errorBody, Duration firstDelay, Duration betweenDelay,
                           int cutAfter, int hangAfter, boolean sendStop, String stopReason, String inStreamError,
                           boolean thinking) {

        public static Behavior answering(String... deltas) {
            return new Behavior(List.of(deltas), 200, null, Duration.ZERO, Duration.ZERO, -1, -1, true, "end_turn", null, false);
        }

        public static Behavior error(int status, String type, String message) {
            return new Behavior(List.of(), status, errorJson(type, message), Duration.ZERO, Duration.ZERO, -1, -1, true,
                    "end_turn", null, false);
        }

        public Behavior delays(Duration first, Duration between) {
            return new Behavior(deltas, status, errorBody, first, between, cutAfter, hangAfter, sendStop, stopReason, inStreamError, thinking);
        }

        /** Close the socket after {@code chunks} text deltas, without finishing the response. */
        public Behavior cutAfter(int chunks) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, chunks, hangAfter, sendStop, stopReason, inStreamError, thinking);
        }

        /** Stop sending after {@code chunks} text deltas and hold the connection until the client closes it. */
        public Behavior hangAfter(int chunks) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, chunks, sendStop, stopReason, inStreamError, thinking);
        }

        /** Everything but the final message_stop event; the body then ends normally. */
        public Behavior withoutMessageStop() {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, false, stopReason, inStreamError, thinking);
        }

        public Behavior stopReason(String reason) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, sendStop, reason, inStreamError, thinking);
        }

        /** After the deltas, {@code event: error} inside the 200 stream, as the API sends an overload mid-answer. */
        public Behavior inStreamError(String type, String message) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, sendStop, stopReason,
                    errorJson(type, message), thinking);
        }

        /** An extended-thinking block (thinking_delta, signature_delta) before the text block. */
        public Behavior withThinking() {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, sendStop, stopReason, inStreamError, true);
        }

        private static String errorJson(String type, String message) {
            try {
                return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + JSON.writeValueAsString(message) + "}}";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private volatile Behavior behavior = Behavior.answering("Hello", ", world", "!");

    public FakeAnthropicServer() throws IOException {
        super("fake-anthropic");
    }

    public FakeAnthropicServer behave(Behavior next) {
        this.behavior = next;
        return this;
    }

    /** Like https://api.anthropic.com: no version in the base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Returns false when the connection must end after this response. */
    @Override
    protected boolean respond(Socket socket, Received request, InputStream in, OutputStream out) throws IOException {
        Behavior b = behavior;
        String requestId = "req_fake_" + totalConnections() + "_" + requests.size();
        if (b.status() != 200) {
            byte[] body = (b.errorBody().substring(0, b.errorBody().length() - 1) + ",\"request_id\":\"" + requestId + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            String retryAfter = b.status() == 429 || b.status() == 529 ? "retry-after: 7\r\n" : "";
            out.write(("HTTP/1.1 " + b.status() + " Error\r\ncontent-type: application/json\r\nrequest-id: " + requestId
                    + "\r\n" + retryAfter + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return true;
        }
        String model = request.body().path("model").asText();
        if (!request.body().path("stream").asBoolean(false)) {
            if (!waitUnlessClosed(socket, in, b.firstDelay())) {
                return false;
            }
            StringBuilder blocks = new StringBuilder(b.thinking()
                    ? "{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"sig\"}" : "");
            for (String delta : b.deltas()) { // one text block per delta: the client must concatenate them
                blocks.append(blocks.isEmpty() ? "" : ",").append("{\"type\":\"text\",\"text\":").append(JSON.writeValueAsString(delta)).append('}');
            }
            byte[] bytes = ("{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[" + blocks
                    + "],\"model\":\"" + model + "\",\"stop_reason\":\"" + b.stopReason() + "\",\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"output_tokens\":" + b.deltas().size() + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: " + requestId
                    + "\r\ncontent-length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return true;
        }
        out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\nrequest-id: "
                + requestId + "\r\ntransfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (!waitUnlessClosed(socket, in, b.firstDelay())) {
            return false;
        }
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"output_tokens\":1}}}");
        int textIndex = 0;
        if (b.thinking()) {
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me think.\"}}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}");
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            textIndex = 1;
        }
        event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + textIndex
                + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        event(out, "ping", "{\"type\": \"ping\"}");
        for (int i = 0; i < b.deltas().size(); i++) {
            if (i == b.cutAfter()) {
                return false; // socket closes without the terminating chunk
            }
            if (i == b.hangAfter()) {
                while (in.read() != -1) {
                    // hold the connection open until the client closes it
                }
                return false;
            }
            if (i > 0 && !waitUnlessClosed(socket, in, b.betweenDelay())) {
                return false;
            }
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + textIndex
                    + ",\"delta\":{\"type\":\"text_delta\",\"text\":" + JSON.writeValueAsString(b.deltas().get(i)) + "}}");
        }
        if (b.inStreamError() != null) {
            event(out, "error", b.inStreamError());
            endChunks(out);
            return true;
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + textIndex + "}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + b.stopReason()
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + b.deltas().size() + "}}");
        if (b.sendStop()) {
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
        }
        endChunks(out);
        return true;
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        chunk(out, "event: " + name + "\ndata: " + data + "\n\n");
    }

}
