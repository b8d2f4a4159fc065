package io.aichatbot.llm;

/**
 * The events of one model call, pulled one at a time by the turn's (virtual) thread.
 *
 * <p>Contract, which every provider and the tests rely on:
 * <ul>
 *   <li>{@link #next()} returns {@link ModelEvent.Delta} and {@link ModelEvent.Usage} events
 *       in arrival order, then exactly one terminal event ({@link ModelEvent.Done} or
 *       {@link ModelEvent.Failed}); calls after the terminal event return it again.</li>
 *   <li>Timeouts (first token, between tokens, total) are enforced inside {@code next()}: it
 *       returns {@code Failed} with kind {@code TIMEOUT} and has already cancelled upstream.</li>
 *   <li>{@link #close()} may be called from any thread at any time, is idempotent, cancels the
 *       upstream request and closes its connection; a {@code next()} blocked in another thread
 *       then returns {@code Failed} with kind {@code CANCELLED} promptly.</li>
 * </ul>
 */
public interface ModelStream extends AutoCloseable {

    ModelEvent next() throws InterruptedException;

    @Override
    void close();
}
