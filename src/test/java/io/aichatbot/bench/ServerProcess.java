package io.aichatbot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The server under test as a separate JVM started from the shaded jar, as an operator runs it. */
final class ServerProcess implements AutoCloseable {

    final Process process;
    final int port;
    final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ServerProcess start(Path jar, Path dataDir, List<String> javaOptions, List<String> settings) throws Exception {
        int port = freePort();
        List<String> arguments = new ArrayList<>(List.of("-jar", jar.toString(), "serve", "--port", String.valueOf(port),
                "--data-dir", dataDir.toString()));
        for (String setting : settings) {
            arguments.add("--set");
            arguments.add(setting);
        }
        return launch(javaOptions, arguments, port);
    }

    /**
     * {@link StackFloor} (the frameworks this server is built on, with one route and nothing of
     * ours) from the same shaded jar and with the same JVM options: the memory floor of the stack.
     */
    static ServerProcess startFloor(Path jar, Path dataDir, List<String> javaOptions) throws Exception {
        int port = freePort();
        String classpath = Path.of("target", "test-classes") + java.io.File.pathSeparator + jar;
        return launch(javaOptions, List.of("-cp", classpath, StackFloor.class.getName(), String.valueOf(port),
                dataDir.toString()), port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ServerProcess launch(List<String> javaOptions, List<String> arguments, int port) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(arguments);
        Path log = Files.createTempFile("aichatbot-bench", ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // as bin/aichatbot sets it
        Process process = builder.start();
        var server = new ServerProcess(process, port, log);
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return server;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("server did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Resident set size of the server process, from /proc (Linux). */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Asks the JVM for a full GC, so an "idle" figure is not just garbage not yet collected. */
    void gc() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: graceful stop
        process.waitFor();
    }
}
