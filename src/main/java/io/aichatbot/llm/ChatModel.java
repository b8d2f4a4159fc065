package io.aichatbot.llm;

/**
 * One configured model endpoint that can answer a prompt as a stream of events.
 *
 * <p>Implementations are thread-safe and shared: one instance (and so one pooled HTTP client)
 * per configured deployment, used by every turn at once.
 */
public interface ChatModel {

    /** Short provider name for logs and metrics, e.g. {@code openai} or {@code demo}. */
    String provider();

    /**
     * Starts a model call. Never blocks on the network: connection, request and response all
     * happen behind the returned stream, so a caller can cancel before the first byte.
     */
    ModelStream open(ModelRequest request);
}
