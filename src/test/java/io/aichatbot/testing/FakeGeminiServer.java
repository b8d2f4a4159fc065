package io.aichatbot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A local Google Gemini API server for tests, replaying the documented wire format:
 * {@code POST /v1beta/models/{model}:generateContent} answering one GenerateContentResponse,
 * {@code :streamGenerateContent?alt=sse} answering {@code data:} events separated by CRLF blank
 * lines with no end marker, a prompt blocked by {@code promptFeedback.blockReason}, and the error
 * body {@code {"error":{"code","message","status","details"}}}.
 *
 * <p>Same design as {@link FakeOpenAiServer}: hand-written HTTP/1.1 on a ServerSocket so tests
 * can count open TCP connections and script misbehaviour (cut, stall, delay). Thread-safe; one
 * virtual thread per connection.
 */
public final class FakeGeminiServer extends FakeHttpServer {

    public static final int PROMPT_TOKENS = 8;
    public static final int THOUGHT_TOKENS = 5;

    /** What the next responses look like; change it between calls with {@link #behave}. */
    public record Behavior(List<String> deltas, int status, String errorBody, Duration firstDelay, Duration betweenDelay,
                           int cutAfter, int hangAfter, String finishReason, String blockReason, String inStreamError,
                           boolean thoughts) {

        public static Behavior answering(String... deltas) {
            return new Behavior(List.of(deltas), 200, null, Duration.ZERO, Duration.ZERO, -1, -1, "STOP", null, null, false);
        }

        public static Behavior error(int status, String grpcStatus, String message) {
            return new Behavior(List.of(), status, errorJson(status, grpcStatus, message, ""), Duration.ZERO, Duration.ZERO, -1, -1,
                    "STOP", null, null, false);
        }

        /** Google's answer to a wrong key: 400 INVALID_ARGUMENT with an ErrorInfo of reason API_KEY_INVALID. */
        public static Behavior badKey(String message) {
            String details = ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
                    + "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]";
            return new Behavior(List.of(), 400, errorJson(400, "INVALID_ARGUMENT", message, details), Duration.ZERO, Duration.ZERO,
                    -1, -1, "STOP", null, null, false);
        }

        /** The prompt itself is refused: one response with promptFeedback and no candidates. */
        public static Behavior blocked(String blockReason) {
            return new Behavior(List.of(), 200, null, Duration.ZERO, Duration.ZERO, -1, -1, null, blockReason, null, false);
        }

        public Behavior delays(Duration first, Duration between) {
            return new Behavior(deltas, status, errorBody, first, between, cutAfter, hangAfter, finishReason, blockReason, inStreamError, thoughts);
        }

        /** Close the socket after {@code chunks} text chunks, without finishing the response. */
        public Behavior cutAfter(int chunks) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, chunks, hangAfter, finishReason, blockReason, inStreamError, thoughts);
        }

        /** Stop sending after {@code chunks} text chunks and hold the connection until the client closes it. */
        public Behavior hangAfter(int chunks) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, chunks, finishReason, blockReason, inStreamError, thoughts);
        }

        /** The finishReason of the last chunk; null for a body that ends normally but never says it finished. */
        public Behavior finishReason(String reason) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, reason, blockReason, inStreamError, thoughts);
        }

        /** After the deltas, an error object inside the 200 stream. */
        public Behavior inStreamError(int code, String grpcStatus, String message) {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, finishReason, blockReason,
                    errorJson(code, grpcStatus, message, ""), thoughts);
        }

        /** A thinking model: a thought-summary part first, and thoughtsTokenCount in the usage. */
        public Behavior withThoughts() {
            return new Behavior(deltas, status, errorBody, firstDelay, betweenDelay, cutAfter, hangAfter, finishReason, blockReason, inStreamError, true);
        }

        private static String errorJson(int code, String grpcStatus, String message, String details) {
            try {
                return "{\"error\":{\"code\":" + code + ",\"message\":" + JSON.writeValueAsString(message) + ",\"status\":\""
                        + grpcStatus + "\"" + details + "}}";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A request as received; {@code path} includes the query. */

    private volatile Behavior behavior = Behavior.answering("Hello", ", world", "!");

    public FakeGeminiServer() throws IOException {
        super("fake-gemini");
    }

    public FakeGeminiServer behave(Behavior next) {
        this.behavior = next;
        return this;
    }

    /** Like https://generativelanguage.googleapis.com: no version in the base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Returns false when the connection must end after this response. */
    @Override
    protected boolean respond(Socket socket, Received request, InputStream in, OutputStream out) throws IOException {
        Behavior b = behavior;
        if (b.status() != 200) {
            send(out, b.status() + " Error", "application/json; charset=UTF-8", b.errorBody());
            return true;
        }
        String model = request.path().replaceFirst("^.*/models/([^:]*):.*$", "$1");
        if (!request.path().endsWith(":streamGenerateContent?alt=sse")) {
            if (!waitUnlessClosed(socket, in, b.firstDelay())) {
                return false;
            }
            String text = JSON.writeValueAsString(String.join("", b.deltas()));
            send(out, "200 OK", "application/json; charset=UTF-8", b.blockReason() != null ? blockedJson(b, model)
                    : response(model, (b.thoughts() ? thoughtPart() + "," : "") + "{\"text\":" + text + "}", b.finishReason(),
                    usage(b, b.deltas().size())));
            return true;
        }
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Disposition: attachment\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (!waitUnlessClosed(socket, in, b.firstDelay())) {
            return false;
        }
        if (b.blockReason() != null) {
            event(out, blockedJson(b, model));
            endChunks(out);
            return true;
        }
        if (b.thoughts()) {
            event(out, response(model, thoughtPart(), null, "{\"promptTokenCount\":" + PROMPT_TOKENS + "}"));
        }
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
            boolean last = i == b.deltas().size() - 1 && b.inStreamError() == null;
            String part = "{\"text\":" + JSON.writeValueAsString(b.deltas().get(i)) + "}";
            // Early chunks carry only the prompt count; the last one has them all, as the API does.
            event(out, response(model, part, last ? b.finishReason() : null, last ? usage(b, i + 1)
                    : "{\"promptTokenCount\":" + PROMPT_TOKENS + ",\"totalTokenCount\":" + PROMPT_TOKENS + "}"));
        }
        if (b.inStreamError() != null) {
            event(out, b.inStreamError());
        }
        endChunks(out);
        return true;
    }

    private static String response(String model, String parts, String finishReason, String usage) {
        return "{\"candidates\":[{\"content\":{\"parts\":[" + parts + "],\"role\":\"model\"}"
                + (finishReason == null ? "" : ",\"finishReason\":\"" + finishReason + "\"") + ",\"index\":0,\"safetyRatings\":["
                + "{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"probability\":\"NEGLIGIBLE\"}]}],\"usageMetadata\":" + usage
                + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"resp_fake\"}";
    }

    private static String usage(Behavior b, int candidateTokens) {
        return "{\"promptTokenCount\":" + PROMPT_TOKENS + ",\"candidatesTokenCount\":" + candidateTokens
                + (b.thoughts() ? ",\"thoughtsTokenCount\":" + THOUGHT_TOKENS : "")
                + ",\"totalTokenCount\":" + (PROMPT_TOKENS + candidateTokens + (b.thoughts() ? THOUGHT_TOKENS : 0)) + "}";
    }

    private static String thoughtPart() {
        return "{\"text\":\"**Considering the question**\",\"thought\":true}";
    }

    private static String blockedJson(Behavior b, String model) {
        return "{\"promptFeedback\":{\"blockReason\":\"" + b.blockReason() + "\",\"safetyRatings\":[{\"category\":"
                + "\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\"}]},\"usageMetadata\":{\"promptTokenCount\":"
                + PROMPT_TOKENS + ",\"totalTokenCount\":" + PROMPT_TOKENS + "},\"modelVersion\":\"" + model + "\"}";
    }

    private static void send(OutputStream out, String status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Gemini ends each event with CRLF CRLF. */
    private static void event(OutputStream out, String data) throws IOException {
        chunk(out, "data: " + data + "\r\n\r\n");
    }

}
