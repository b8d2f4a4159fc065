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
 * The HTTP/1.1 plumbing the fake providers share: a ServerSocket on 127.0.0.1 with one virtual
 * thread per connection, keep-alive, received requests recorded, open and total TCP
 * connections counted (so tests can prove a cancelled call closed its socket), and helpers for
 * chunked bodies and for waits that notice a client closing the connection.
 *
 * <p>Hand-written rather than the JDK's HttpServer because the tests need what HttpServer hides:
 * when a connection closes, and misbehaviour a real server shows — a body cut mid-way, a stall.
 * Each subclass answers in its vendor's wire format. Thread-safe.
 */
public abstract class FakeHttpServer implements AutoCloseable {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** A request as received. */
    public record Received(String method, String path, Map<String, String> headers, JsonNode body) {}

    private final ServerSocket server;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger totalConnections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    public final List<Received> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    protected FakeHttpServer(String name) throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name(name + "-accept").start(this::accept);
    }

    /** Answers one request; returns false when the connection must end after it. */
    protected abstract boolean respond(Socket socket, Received request, InputStream in, OutputStream out) throws IOException;

    protected int port() {
        return server.getLocalPort();
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
        return new Received(parts[0], parts[1], java.util.Collections.unmodifiableMap(headers), json); // names stay case-insensitive, as in HTTP
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

    /** One chunk of a chunked body, flushed. */
    protected static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length).toUpperCase(Locale.ROOT) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The end of a chunked body. */
    protected static void endChunks(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Waits, but like a real server notices at once when the client closes the connection:
     * returns false then. (A plain sleep would only find out at the next write.)
     */
    protected static boolean waitUnlessClosed(Socket socket, InputStream in, Duration duration) throws IOException {
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
