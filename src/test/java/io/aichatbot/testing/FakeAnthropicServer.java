package io.aichatbot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
public final class FakeAnthropicServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** A request as received. */
    public record Received(String method, String path, Map<String, String> headers, JsonNode body) {}

    private final ServerSocket server;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger totalConnections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    public final List<Received> requests = new CopyOnWriteArrayList<>();
    private volatile Behavior behavior = Behavior.answering("Hello", ", world", "!");
    private volatile boolean closed;

    public FakeAnthropicServer() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-anthropic-accept").start(this::accept);
    }

    public FakeAnthropicServer behave(Behavior next) {
        this.behavior = next;
        return this;
    }

    /** Like https://api.anthropic.com: no version in the base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int openConnections() {
        return openConnections.get();
    }

    public int totalConnections() {
        return totalConnections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                openConnections.incrementAndGet();
                totalConnections.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Received request = readRequest(in);
                if (request == null) {
                    return; // client closed the connection
                }
                requests.add(request);
                if (!respond(socket, request, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // client went away mid-response: exactly what cancellation tests provoke
        } finally {
            sockets.remove(socket);
            openConnections.decrementAndGet();
        }
    }

    /** Returns false when the connection must end after this response. */
    private boolean respond(Socket socket, Received request, InputStream in, OutputStream out) throws IOException {
        Behavior b = behavior;
        String requestId = "req_fake_" + totalConnections.get() + "_" + requests.size();
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

    private static Received readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        JsonNode json = length == 0 ? JSON.missingNode() : JSON.readTree(body);
        return new Received(parts[0], parts[1], Map.copyOf(headers), json);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length).toUpperCase(Locale.ROOT) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void endChunks(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Waits, but like a real server notices at once when the client closes the connection:
     * returns false then. (A plain sleep would only find out at the next write.)
     */
    private static boolean waitUnlessClosed(Socket socket, InputStream in, Duration duration) throws IOException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return true;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (in.read() == -1) {
                    return false;
                }
            } catch (java.net.SocketTimeoutException timeUp) {
                return true;
            } finally {
                socket.setSoTimeout(0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
