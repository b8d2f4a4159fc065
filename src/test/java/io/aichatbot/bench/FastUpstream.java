package io.aichatbot.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The benchmark's stand-in for a provider: answers OpenAI Chat Completions requests (stream and
 * non-stream) at once with a fixed answer, doing as little work as possible so that the
 * measured latency is ours, not the fake's. (The tests' FakeOpenAiServer has knobs for errors
 * and stalls; this one has none on purpose.)
 */
final class FastUpstream implements AutoCloseable {

    static final String[] WORDS = "The quick brown fox jumps over the lazy dog and keeps running far away .".split(" ");

    private final HttpServer server;

    FastUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        boolean stream = new String(request, StandardCharsets.UTF_8).contains("\"stream\":true");
        if (!stream) {
            String answer = String.join(" ", WORDS);
            byte[] body = ("{\"id\":\"chatcmpl-b\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fast\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + answer + "\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + WORDS.length
                    + ",\"total_tokens\":" + (20 + WORDS.length) + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            chunk(out, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
            for (int i = 0; i < WORDS.length; i++) {
                chunk(out, "{\"content\":\"" + (i == 0 ? "" : " ") + WORDS[i] + "\"}", "null");
            }
            chunk(out, "{}", "\"stop\"");
            out.write(("data: {\"id\":\"chatcmpl-b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fast\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + WORDS.length
                    + ",\"total_tokens\":" + (20 + WORDS.length) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void chunk(OutputStream out, String delta, String finishReason) throws IOException {
        out.write(("data: {\"id\":\"chatcmpl-b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fast\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * Runs the fake as a process of its own ({@link UpstreamProcess}): prints its base URL, then
     * serves until its standard input closes (so it dies with the benchmark).
     */
    public static void main(String[] args) throws IOException {
        try (var upstream = new FastUpstream()) {
            System.out.println(upstream.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
    }
}
