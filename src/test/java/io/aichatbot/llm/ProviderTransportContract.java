package io.aichatbot.llm;

import static io.aichatbot.testing.ModelEvents.drain;
import static io.aichatbot.testing.ModelEvents.failure;
import static io.aichatbot.testing.ModelEvents.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.Eventually;
import io.aichatbot.testing.FakeHttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transport cases every provider client must pass alike — timeouts, a cancellation that
 * closes the upstream socket, keep-alive reuse, a refused connection — run by each vendor's test
 * class against its own fake server, which speaks that vendor's wire format. The vendor classes
 * keep only what is their own (request shape, events, error bodies).
 */
public abstract class ProviderTransportContract {

    protected static final Timeouts FAST = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(400), Duration.ofMillis(300),
            Duration.ofSeconds(5));
    protected static final Timeouts PATIENT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    /** The client under test, talking to the vendor's fake, with these timeouts. */
    protected abstract ChatModel client(Timeouts timeouts);

    /** The same client aimed at {@code baseUrl} instead (where nothing listens). */
    protected abstract ChatModel clientAt(URI baseUrl, Timeouts timeouts);

    /** The canary key the client sends; no failure may repeat it. */
    protected abstract String key();

    /** A request for the vendor's fake; streamed or not. */
    protected abstract ModelRequest sampleRequest(boolean stream);

    /** The fake answers {@code deltas}, the first only after {@code firstDelay}. */
    protected abstract void answerAfter(Duration firstDelay, String... deltas);

    /** The fake sends the first {@code after} of {@code deltas}, then holds the connection open. */
    protected abstract void answerThenHang(int after, String... deltas);

    /** The vendor's fake server, for its connection counts. */
    protected abstract FakeHttpServer fake();

    private int openConnections() {
        return fake().openConnections();
    }

    private int totalConnections() {
        return fake().totalConnections();
    }

    /** How the fake's request ids start, or null when the vendor sends none on a 200. */
    protected abstract String requestIdPrefix();

    @Test
    void noFirstTokenInTimeIsATimeoutAndClosesTheConnection() throws Exception {
        answerAfter(Duration.ofSeconds(3), "late");
        long started = System.nanoTime();

        ModelFailure failure = failure(drain(client(FAST).open(sampleRequest(true))));

        assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.TIMEOUT);
        assertThat(failure.message()).contains("first token");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        Eventually.within(Duration.ofSeconds(1), () -> openConnections() == 0, "upstream connection closed");
    }

    @Test
    void aStallBetweenTokensIsATimeoutAndClosesTheConnection() throws Exception {
        answerThenHang(2, "a", "b", "c");
        long started = System.nanoTime();

        List<ModelEvent> events = drain(client(FAST).open(sampleRequest(true)));

        assertThat(text(events)).isEqualTo("ab");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.TIMEOUT);
        assertThat(failure(events).message()).contains("no token for");
        if (requestIdPrefix() != null) {
            assertThat(failure(events).requestId()).as("the headers had arrived").startsWith(requestIdPrefix());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        Eventually.within(Duration.ofSeconds(1), () -> openConnections() == 0, "upstream connection closed");
    }

    @Test
    void closingFromAnotherThreadWakesTheReaderAndClosesTheUpstreamSocketWithinASecond() throws Exception {
        answerThenHang(1, "x", "y");
        ModelStream stream = client(PATIENT).open(sampleRequest(true));
        assertThat(stream.next()).isEqualTo(new ModelEvent.Delta("x"));
        CompletableFuture<ModelEvent> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(blocked).isNotDone();
        assertThat(openConnections()).isEqualTo(1);

        stream.close();

        ModelEvent event = blocked.get(1, TimeUnit.SECONDS);
        assertThat(((ModelEvent.Failed) event).failure().kind()).isEqualTo(ModelFailure.Kind.CANCELLED);
        Eventually.within(Duration.ofSeconds(1), () -> openConnections() == 0, "upstream socket closed");
    }

    @Test
    void closingBeforeTheHeadersArriveCancelsTheExchangeToo() throws Exception {
        answerAfter(Duration.ofSeconds(10), "slow");
        // Non-stream: the fake sends nothing at all until its delay is over.
        ModelStream stream = client(PATIENT).open(sampleRequest(false));
        Eventually.within(Duration.ofSeconds(2), () -> openConnections() == 1, "request reached upstream");

        stream.close();

        assertThat(((ModelEvent.Failed) stream.next()).failure().kind()).isEqualTo(ModelFailure.Kind.CANCELLED);
        Eventually.within(Duration.ofSeconds(1), () -> openConnections() == 0, "upstream socket closed");
    }

    @Test
    void fiftyCancelledCallsLeaveNoUpstreamConnectionOpen() throws Exception {
        answerThenHang(1, "a", "b", "c");
        ChatModel shared = client(PATIENT);
        List<ModelStream> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            streams.add(shared.open(sampleRequest(true)));
        }
        for (ModelStream stream : streams) {
            assertThat(stream.next()).isInstanceOf(ModelEvent.Delta.class);
        }
        assertThat(openConnections()).isEqualTo(50);

        streams.forEach(ModelStream::close);

        Eventually.within(Duration.ofSeconds(2), () -> openConnections() == 0, "all 50 upstream sockets closed");
    }

    @Test
    void aRefusedConnectionIsARetriableConnectFailureWithoutTheKey() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        ModelFailure failure = failure(drain(clientAt(URI.create("http://127.0.0.1:" + port), FAST).open(sampleRequest(true))));

        assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.CONNECT);
        assertThat(failure.retriable()).isTrue();
        assertThat(failure.message()).doesNotContain(key());
    }

    @Test
    void keepAliveConnectionsAreReusedAcrossCallsEvenWhenClosedRightAfterDone() throws Exception {
        ChatModel model = client(FAST);
        for (int i = 0; i < 5; i++) {
            ModelStream stream = model.open(sampleRequest(i % 2 == 0));
            drain(stream);
            stream.close(); // as a turn does: after Done this must not cost the connection
            Thread.sleep(20); // the end of the chunked body reaches the pool a moment after the end marker
        }
        assertThat(totalConnections()).isEqualTo(1);
    }
}
