package io.aichatbot.llm;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link ModelStream} over one exchange of the JDK {@link HttpClient}, shared by providers.
 *
 * <p>Design note. The response body is consumed by a {@link HttpResponse.BodySubscriber} that
 * hands bytes to a provider's {@link Decoder}; decoded events go to a queue that {@link #next}
 * polls with the current deadline, which is how the first-token, between-token and total
 * timeouts are enforced without a timer thread. More body is requested only while the queue is
 * short, so a slow reader makes the socket apply back-pressure instead of growing memory.
 * {@link #close} cancels the exchange ({@code cancel(true)} on the future of {@code sendAsync},
 * which the JDK relays to the exchange) and the body subscription: on HTTP/1.1 the JDK then
 * closes the socket rather than returning a half-read connection to the pool, so the provider
 * sees the cancellation at once. The tests count the fake provider's open sockets to prove it.
 *
 * <p>Thread-safe as {@link ModelStream} requires: the HttpClient's threads produce, one
 * consumer calls {@code next()}, and any thread may call {@code close()}.
 */
public final class HttpModelStream implements ModelStream {

    /** Turns a successful response body into events. Called serially by the HttpClient. */
    public interface Decoder {
        void onBytes(ByteBuffer bytes, Consumer<ModelEvent> emit);

        /** The body ended: emit the terminal event (Done only if the provider's end marker was seen). */
        void onEnd(Consumer<ModelEvent> emit);
    }

    /** Maps a non-2xx response (its body is capped at {@link #MAX_ERROR_BODY}) to a failure. */
    public interface ErrorMapper {
        ModelFailure toFailure(int status, String body, HttpHeaders headers);
    }

    static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int HIGH_WATER = 256;
    private static final ModelEvent WAKE_UP = new ModelEvent.Done("internal-wake-up");

    private final LinkedBlockingQueue<ModelEvent> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean terminalQueued = new AtomicBoolean();
    private final Timeouts timeouts;
    private final boolean streaming;
    private final long startedNanos = System.nanoTime();
    private volatile Flow.Subscription subscription;
    /** Set when the response headers arrive; see {@link #requestIdOf}. */
    private volatile String requestId;
    private volatile boolean demandParked;
    /** Set once the consumer has seen Done: the rest of the body is only framing, let it drain. */
    private volatile boolean doneDelivered;
    private long bytesAfterTerminal;
    private CompletableFuture<HttpResponse<Void>> exchange;
    private long lastEventNanos = startedNanos;
    private boolean answerStarted;
    private ModelEvent terminal;

    private HttpModelStream(Timeouts timeouts, boolean streaming) {
        this.timeouts = timeouts;
        this.streaming = streaming;
    }

    /**
     * Sends the request asynchronously and returns at once.
     *
     * @param streaming true for a streamed answer (all four timeouts apply); false for a whole
     *                  body, where only connect and total apply since nothing arrives early
     */
    public static HttpModelStream open(HttpClient client, HttpRequest request, Decoder decoder, ErrorMapper errors,
                                       Timeouts timeouts, boolean streaming) {
        var stream = new HttpModelStream(timeouts, streaming);
        HttpResponse.BodyHandler<Void> handler = info -> {
            stream.requestId = requestIdOf(info.headers());
            return info.statusCode() / 100 == 2
                    ? stream.new BodyReader(decoder)
                    : stream.new ErrorReader(info.statusCode(), info.headers(), errors);
        };
        stream.exchange = client.sendAsync(request, handler);
        stream.exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                stream.emit(new ModelEvent.Failed(toFailure(failure)));
            }
        });
        return stream;
    }

    private static ModelFailure toFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpConnectTimeoutException) {
            return ModelFailure.of(ModelFailure.Kind.CONNECT, "could not connect to the provider in time");
        }
        if (cause instanceof HttpTimeoutException) {
            return ModelFailure.of(ModelFailure.Kind.TIMEOUT, "the provider did not answer in time");
        }
        if (cause instanceof ConnectException) {
            return ModelFailure.of(ModelFailure.Kind.CONNECT, "could not connect to the provider");
        }
        return ModelFailure.of(ModelFailure.Kind.CONNECT, "connection to the provider failed: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    /**
     * The provider's id for this request, from the response headers: {@code x-request-id}
     * (OpenAI and most compatible servers) or {@code request-id} (Anthropic). It is what the
     * provider's support asks for, so a failure found inside a 200 stream (an error event, a cut
     * body) carries it too, not only an error status.
     */
    static String requestIdOf(HttpHeaders headers) {
        return headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id")).orElse(null);
    }

    /** Queues an event; anything after the first terminal event is dropped. */
    private void emit(ModelEvent event) {
        if (event instanceof ModelEvent.Failed failed && requestId != null) {
            event = new ModelEvent.Failed(failed.failure().orRequestId(requestId));
        }
        if (event.isTerminal() && !terminalQueued.compareAndSet(false, true)) {
            return;
        }
        if (!event.isTerminal() && terminalQueued.get()) {
            return;
        }
        events.add(event);
    }

    @Override
    public ModelEvent next() throws InterruptedException {
        if (terminal != null) {
            return terminal;
        }
        while (true) {
            if (closed.get()) {
                return terminal = new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.CANCELLED, "cancelled"));
            }
            long now = System.nanoTime();
            long totalDeadline = startedNanos + timeouts.total().toNanos();
            long gapDeadline = !streaming ? Long.MAX_VALUE
                    : lastEventNanos + (answerStarted ? timeouts.betweenTokens() : timeouts.firstToken()).toNanos();
            long deadline = Math.min(totalDeadline, gapDeadline);
            ModelEvent event = events.poll(Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
            if (event == WAKE_UP || closed.get()) {
                continue; // a close wins over whatever the cancelled exchange reported
            }
            if (event == null) {
                if (closed.get()) {
                    continue;
                }
                cancelUpstream();
                String which = deadline == totalDeadline ? "no complete answer within " + timeouts.total()
                        : answerStarted ? "no token for " + timeouts.betweenTokens() : "no first token within " + timeouts.firstToken();
                return terminal = new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.TIMEOUT, which).orRequestId(requestId));
            }
            lastEventNanos = System.nanoTime();
            if (event instanceof ModelEvent.Delta) {
                answerStarted = true;
            }
            if (event.isTerminal()) {
                terminal = event;
                doneDelivered = event instanceof ModelEvent.Done;
            } else if (demandParked && events.size() < HIGH_WATER / 2) {
                demandParked = false;
                request();
            }
            return event;
        }
    }

    /**
     * After a normal Done, the body's last bytes (the end of the chunked encoding) may still be in
     * flight; cancelling then would close a healthy keep-alive connection, so it is left to
     * drain into the pool. In every other case close cancels the exchange.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (!doneDelivered) {
                cancelUpstream();
            }
            events.add(WAKE_UP);
        }
    }

    private void cancelUpstream() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        if (exchange != null) {
            exchange.cancel(true);
        }
    }

    private void request() {
        Flow.Subscription current = subscription;
        if (current != null && !closed.get()) {
            current.request(1);
        }
    }

    /** Reads a 2xx body chunk by chunk into the decoder. */
    private final class BodyReader implements HttpResponse.BodySubscriber<Void> {
        private final Decoder decoder;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        BodyReader(Decoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed.get()) {
                s.cancel();
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (terminalQueued.get()) {
                // What follows the end marker is normally a few bytes of framing: read it so the
                // connection can go back to the pool, but cut off a provider that keeps talking.
                for (ByteBuffer buffer : buffers) {
                    bytesAfterTerminal += buffer.remaining();
                }
                if (bytesAfterTerminal > MAX_ERROR_BODY || (closed.get() && !doneDelivered)) {
                    cancelUpstream();
                } else {
                    request();
                }
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    decoder.onBytes(buffer, HttpModelStream.this::emit);
                }
            } catch (RuntimeException malformed) {
                emit(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL,
                        "malformed response from the provider: " + malformed.getMessage())));
                cancelUpstream();
                return;
            }
            if (terminalQueued.get() || events.size() < HIGH_WATER) {
                request();
            } else {
                demandParked = true; // next() asks for more once the consumer has caught up
                if (events.size() < HIGH_WATER / 2 && demandParked) {
                    demandParked = false;
                    request();
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (!closed.get()) {
                emit(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL,
                        "the connection broke before the answer was complete")));
            }
            done.complete(null);
        }

        @Override
        public void onComplete() {
            decoder.onEnd(HttpModelStream.this::emit);
            done.complete(null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }
    }

    /** Reads a non-2xx body (capped) and maps it to one Failed event. */
    private final class ErrorReader implements HttpResponse.BodySubscriber<Void> {
        private final int status;
        private final HttpHeaders headers;
        private final ErrorMapper errors;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        ErrorReader(int status, HttpHeaders headers, ErrorMapper errors) {
            this.status = status;
            this.headers = headers;
            this.errors = errors;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int room = MAX_ERROR_BODY - body.size();
                int n = Math.min(room, buffer.remaining());
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                body.write(bytes, 0, n);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            finish();
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            emit(new ModelEvent.Failed(errors.toFailure(status, body.toString(java.nio.charset.StandardCharsets.UTF_8), headers)));
            done.complete(null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }
    }
}
