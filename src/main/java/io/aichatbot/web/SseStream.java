package io.aichatbot.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Server-Sent Events response. Every event's data is a single line of JSON (Jackson escapes
 * newlines), so nothing a model writes can end an event early or forge another one.
 *
 * <p>Thread-safe: the turn thread writes events while the heartbeat writes comments; a lock
 * keeps their bytes from interleaving.
 */
final class SseStream {

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean broken;

    SseStream(OutputStream out) {
        this.out = out;
    }

    void event(String name, Object data) throws IOException {
        write("event: " + name + "\ndata: " + Json.write(data) + "\n\n");
    }

    /** A comment line: ignored by clients, but a write, which is how a closed tab is noticed. */
    void heartbeat() throws IOException {
        write(": ping\n\n");
    }

    long idleNanos() {
        return System.nanoTime() - lastWriteNanos;
    }

    boolean tryLockForHeartbeat() {
        return lock.tryLock();
    }

    void unlockAfterHeartbeat() {
        lock.unlock();
    }

    private void write(String text) throws IOException {
        lock.lock();
        try {
            if (broken) {
                throw new IOException("client connection already closed");
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWriteNanos = System.nanoTime();
        } catch (IOException e) {
            broken = true;
            throw e;
        } finally {
            lock.unlock();
        }
    }
}
