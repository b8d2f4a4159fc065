package io.aichatbot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A local OpenAI Chat Completions server for tests, replaying the documented wire format:
 * {@code chat.completion} objects, {@code chat.completion.chunk} SSE streams with
 * {@code stream_options.include_usage}, {@code data: [DONE]}, and the documented error body
 * {@code {"error": {"message", "type", "param", "code"}}} with an {@code x-request-id} header.
 *
 * <p>Knobs for misbehaviour a real server shows: a stream cut mid-way, a stall, no [DONE].
 * The socket plumbing and connection counting are {@link FakeHttpServer}'s.
 */
public final class FakeOpenAiServer extends FakeHttpServer {

    /** What the next responses look like; change it between calls with {@link #behave}. */
    public record Behavior(List<String> deltas, int status, String errorBody, Duration firstDelay, Duration betweenDelay,
                           int cutAfter, int hangAfter, boolean sendDone, boolean sendUsage, String finishReason,
                           String inStreamError) {

        public static Behavior answering(String... deltas) {
            return new Behavior(List.of(deltas), 200, null, Duration.ZERO, Duration.ZERO, -1, -1, true, true, "stop", null);
        }

        public static Behavior error(int status, String type, String message) {
            String body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}";
            return new Behavior(List.of(), status, body, Duration.ZERO, Duration.ZERO, -1, -1, true, true, "stop", null);
        }

        public Behavior delays(Duration first, Duration between) {
            return new Behavior(deltas, status, errorBody, first, between, cutAfter, hangAfter, sendDone, sendUsage, finishReason, inStreamError);
        }

        /** Close the socket after {@code chunks} content chunks, without finishing the response. */
        public Behavior cutAfter(int chunks) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, chunks, hangAfter, sendDone, sendUsage, finishReason, inStreamError);
        }

        /** Stop sending after {@code chunks} content chunks and hold the connection until the client closes it. */
        public Behavior hangAfter(int chunks) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, chunks, sendDone, sendUsage, finishReason, inStreamError);
        }

        public Behavior withoutDone() {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, false, sendUsage, finishReason, inStreamError);
        }

        public Behavior withoutFinishReason() {
            return finishing(null);
        }

        /** The final chunk's (or the whole answer's) {@code finish_reason}, e.g. "length" at the token limit. */
        public Behavior finishing(String reason) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, sendDone, sendUsage, reason, inStreamError);
        }

        /** After the deltas, an error object inside the 200 stream (as OpenAI sends mid-stream failures). */
        public Behavior inStreamError(String type, String message) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, sendDone, sendUsage, finishReason,
                    "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}");
        }
    }

    private volatile Behavior behavior = Behavior.answering("Hello", ", world", "!");

    public FakeOpenAiServer() throws IOException {
        super("fake-openai");
    }

    public FakeOpenAiServer behave(Behavior next) {
        this.behavior = next;
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Returns false when the connection must end after this response. */
    @Override
    protected boolean respond(Socket socket, Received request, InputStream in, OutputStream out) throws IOException {
        Behavior b = behavior;
        String requestId = "req_" + totalConnections() + "_" + requests.size();
        if (b.status() != 200) {
            byte[] body = b.errorBody().getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + b.status() + " Error\r\nContent-Type: application/json\r\nx-request-id: " + requestId
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return true;
        }
        boolean stream = request.body().path("stream").asBoolean(false);
        if (!stream) {
            if (!waitUnlessClosed(socket, in, b.firstDelay())) {
                return false;
            }
            String text = String.join("", b.deltas());
            String body = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\""
                    + request.body().path("model").asText() + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":" + JSON.writeValueAsString(text) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":"
                    + (b.finishReason() == null ? "null" : "\"" + b.finishReason() + "\"") + "}],\"usage\":{\"prompt_tokens\":9,"
                    + "\"completion_tokens\":" + b.deltas().size() + ",\"total_tokens\":" + (9 + b.deltas().size()) + "}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: " + requestId
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return true;
        }
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nx-request-id: " + requestId
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (!waitUnlessClosed(socket, in, b.firstDelay())) {
            return false;
        }
        String model = request.body().path("model").asText();
        chunk(out, event(model, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
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
            chunk(out, event(model, "{\"content\":" + JSON.writeValueAsString(b.deltas().get(i)) + "}", null));
        }
        if (b.inStreamError() != null) {
            chunk(out, "data: " + b.inStreamError() + "\n\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        }
        chunk(out, event(model, "{}", b.finishReason()));
        if (b.sendUsage() && request.body().path("stream_options").path("include_usage").asBoolean(false)) {
            chunk(out, "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                    + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + b.deltas().size()
                    + ",\"total_tokens\":" + (9 + b.deltas().size()) + "}}\n\n");
        }
        if (b.sendDone()) {
            chunk(out, "data: [DONE]\n\n");
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return true;
    }

    private static String event(String model, String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
                + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }

}
