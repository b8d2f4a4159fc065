package io.aichatbot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link FastUpstream} in a JVM of its own, as a real provider always is: a call to it crosses
 * a process boundary (thread wake-ups in another process, another address space), which a fake
 * living in the benchmark's own JVM would leave out of the "direct" figure.
 */
final class UpstreamProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;

    private UpstreamProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Starts the fake and waits until it listens. */
    static UpstreamProcess start() throws Exception {
        var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms32m", "-Xmx256m",
                // The JDK's HttpServer leaves Nagle on; with small SSE chunks that adds a 40 ms
                // delayed-ACK stall to the fake and would flatter our time-to-first-token comparison.
                "-Dsun.net.httpserver.nodelay=true",
                "-cp", System.getProperty("java.class.path"), FastUpstream.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String url = out.readLine();
        if (url == null || !url.startsWith("http://127.0.0.1:")) {
            process.destroyForcibly();
            throw new IllegalStateException("fake upstream did not start (said: " + url + ")");
        }
        return new UpstreamProcess(process, url);
    }

    String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // its main loop ends on end of input
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
