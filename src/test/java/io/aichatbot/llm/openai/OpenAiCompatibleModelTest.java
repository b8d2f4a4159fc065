package io.aichatbot.llm.openai;

import static io.aichatbot.testing.ModelEvents.drain;
import static io.aichatbot.testing.ModelEvents.failure;
import static io.aichatbot.testing.ModelEvents.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.llm.Timeouts;
import io.aichatbot.testing.Eventually;
import io.aichatbot.testing.FakeOpenAiServer;
import io.aichatbot.testing.FakeOpenAiServer.Behavior;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible client against a local server replaying the documented wire format. */
class OpenAiCompatibleModelTest {

    static final String KEY = "sk-canary-0123456789abcdefCANARY";
    static final Timeouts FAST = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(400), Duration.ofMillis(300),
            Duration.ofSeconds(5));

    FakeOpenAiServer upstream;
    OpenAiCompatibleModel model;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeOpenAiServer();
        model = model(KEY, FAST);
    }

    OpenAiCompatibleModel model(String key, Timeouts timeouts) {
        return new OpenAiCompatibleModel(new OpenAiSettings("test", URI.create(upstream.baseUrl()), key, timeouts),
                io.aichatbot.llm.ProviderHttp.newClient(timeouts));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
    }

    static ModelRequest request(boolean stream) {
        return new ModelRequest("gpt-test", List.of(new PromptMessage(PromptMessage.Role.SYSTEM, "Be brief."),
                new PromptMessage(PromptMessage.Role.USER, "Hi")), 64, stream);
    }

    @Test
    void aStreamedAnswerArrivesInOrderWithTheProvidersUsageAndEndsDone() throws Exception {
        upstream.behave(Behavior.answering("Hel", "lo", " there"));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("Hello there");
        assertThat(events).contains(new ModelEvent.Usage(9, 3));
        assertThat(events.getLast()).isEqualTo(new ModelEvent.Done("stop"));
    }

    @Test
    void theRequestCarriesModelMessagesLimitsStreamOptionsAndTheBearerKey() throws Exception {
        drain(model.open(request(true)));

        var received = upstream.requests.getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.headers().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(received.body().get("model").asText()).isEqualTo("gpt-test");
        assertThat(received.body().get("max_tokens").asInt()).isEqualTo(64);
        assertThat(received.body().get("stream").asBoolean()).isTrue();
        assertThat(received.body().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(received.body().at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(received.body().at("/messages/1/content").asText()).isEqualTo("Hi");
    }

    @Test
    void aServerWithoutAKeyGetsNoAuthorizationHeader() throws Exception {
        drain(model(null, FAST).open(request(false)));

        assertThat(upstream.requests.getFirst().headers()).doesNotContainKey("Authorization");
        assertThat(upstream.requests.getFirst().body().has("stream_options")).isFalse();
    }

    @Test
    void aNonStreamedAnswerIsOneDeltaWithUsageAndTheFinishReason() throws Exception {
        upstream.behave(Behavior.answering("Whole ", "answer"));

        List<ModelEvent> events = drain(model.open(request(false)));

        assertThat(events).containsExactly(new ModelEvent.Delta("Whole answer"), new ModelEvent.Usage(9, 2), new ModelEvent.Done("stop"));
    }

    @Test
    void errorStatusesMapToTypedFailuresWithTheVendorMessageAndRequestId() throws Exception {
        record Case(int status, String type, ModelFailure.Kind kind) {}
        for (Case c : List.of(new Case(401, "invalid_request_error", ModelFailure.Kind.AUTH),
                new Case(429, "rate_limit_exceeded", ModelFailure.Kind.RATE_LIMITED),
                new Case(500, "server_error", ModelFailure.Kind.SERVER_ERROR),
                new Case(400, "invalid_request_error", ModelFailure.Kind.BAD_REQUEST),
                new Case(404, "invalid_request_error", ModelFailure.Kind.BAD_REQUEST))) {
            upstream.behave(Behavior.error(c.status(), c.type(), "vendor says " + c.status()));

            ModelFailure failure = failure(drain(model.open(request(true))));

            assertThat(failure.kind()).as("status " + c.status()).isEqualTo(c.kind());
            assertThat(failure.httpStatus()).isEqualTo(c.status());
            assertThat(failure.message()).isEqualTo("vendor says " + c.status());
            assertThat(failure.requestId()).startsWith("req_");
            assertThat(failure.retriable()).isEqualTo(c.status() == 429 || c.status() >= 500);
        }
    }

    @Test
    void aKeyEchoedInAnErrorMessageIsRedacted() throws Exception {
        upstream.behave(Behavior.error(401, "invalid_request_error", "Incorrect API key provided: " + KEY + " (sk-can***ARY)"));

        ModelFailure failure = failure(drain(model.open(request(true))));

        assertThat(failure.message()).doesNotContain(KEY).doesNotContain("sk-can").contains("[redacted]");
        assertThat(model.toString()).doesNotContain(KEY);
    }

    @Test
    void aStreamCutMidwayIsAProtocolFailureAfterTheDeltasAlreadySeen() throws Exception {
        upstream.behave(Behavior.answering("one ", "two ", "three").cutAfter(2));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("one two ");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.PROTOCOL);
        assertThat(failure(events).requestId()).as("from the 200 response's x-request-id").startsWith("req_");
    }

    @Test
    void aStreamWithoutDoneButWithAFinishReasonStillCompletes() throws Exception {
        upstream.behave(Behavior.answering("fine").withoutDone());

        assertThat(drain(model.open(request(true))).getLast()).isEqualTo(new ModelEvent.Done("stop"));
    }

    @Test
    void aStreamWithNeitherDoneNorFinishReasonIsNeverPresentedAsComplete() throws Exception {
        upstream.behave(Behavior.answering("maybe").withoutDone().withoutFinishReason());

        assertThat(failure(drain(model.open(request(true)))).kind()).isEqualTo(ModelFailure.Kind.PROTOCOL);
    }

    @Test
    void anErrorObjectInsideTheStreamEndsItAsFailed() throws Exception {
        upstream.behave(Behavior.answering("partial").inStreamError("server_error", "The server had an error"));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("partial");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.SERVER_ERROR);
        assertThat(failure(events).message()).isEqualTo("The server had an error");
        assertThat(failure(events).requestId()).as("from the 200 response's x-request-id").startsWith("req_");
    }

    @Test
    void noFirstTokenInTimeIsATimeoutAndClosesTheConnection() throws Exception {
        upstream.behave(Behavior.answering("late").delays(Duration.ofSeconds(3), Duration.ZERO));
        long started = System.nanoTime();

        ModelFailure failure = failure(drain(model.open(request(true))));

        assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.TIMEOUT);
        assertThat(failure.message()).contains("first token");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        Eventually.within(Duration.ofSeconds(1), () -> upstream.openConnections() == 0, "upstream connection closed");
    }

    @Test
    void aStallBetweenTokensIsATimeout() throws Exception {
        upstream.behave(Behavior.answering("a", "b", "c").hangAfter(2));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("ab");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.TIMEOUT);
        assertThat(failure(events).message()).contains("no token for");
        assertThat(failure(events).requestId()).as("the headers had arrived").startsWith("req_");
        Eventually.within(Duration.ofSeconds(1), () -> upstream.openConnections() == 0, "upstream connection closed");
    }

    @Test
    void closingFromAnotherThreadWakesTheReaderAndClosesTheUpstreamSocketWithinASecond() throws Exception {
        upstream.behave(Behavior.answering("x", "y").hangAfter(1));
        Timeouts patient = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
        ModelStream stream = model(KEY, patient).open(request(true));
        assertThat(stream.next()).isEqualTo(new ModelEvent.Delta("x"));
        CompletableFuture<ModelEvent> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(upstream.openConnections()).isEqualTo(1);

        stream.close();

        ModelEvent event = blocked.get(1, TimeUnit.SECONDS);
        assertThat(((ModelEvent.Failed) event).failure().kind()).isEqualTo(ModelFailure.Kind.CANCELLED);
        Eventually.within(Duration.ofSeconds(1), () -> upstream.openConnections() == 0, "upstream socket closed");
    }

    @Test
    void closingBeforeTheHeadersArriveCancelsTheExchangeToo() throws Exception {
        upstream.behave(Behavior.answering("slow").delays(Duration.ofSeconds(10), Duration.ZERO));
        Timeouts patient = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
        // Non-stream: the fake sends nothing at all until its delay is over.
        ModelStream stream = model(KEY, patient).open(request(false));
        Eventually.within(Duration.ofSeconds(2), () -> upstream.openConnections() == 1, "request reached upstream");

        stream.close();

        assertThat(((ModelEvent.Failed) stream.next()).failure().kind()).isEqualTo(ModelFailure.Kind.CANCELLED);
        Eventually.within(Duration.ofSeconds(1), () -> upstream.openConnections() == 0, "upstream socket closed");
    }

    @Test
    void manyCancelledCallsLeaveNoUpstreamConnectionOpen() throws Exception {
        upstream.behave(Behavior.answering("a", "b", "c").hangAfter(1));
        Timeouts patient = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
        OpenAiCompatibleModel shared = model(KEY, patient);
        List<ModelStream> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ModelStream stream = shared.open(request(true));
            streams.add(stream);
        }
        for (ModelStream stream : streams) {
            assertThat(stream.next()).isInstanceOf(ModelEvent.Delta.class);
        }
        assertThat(upstream.openConnections()).isEqualTo(50);

        streams.forEach(ModelStream::close);

        Eventually.within(Duration.ofSeconds(2), () -> upstream.openConnections() == 0, "all 50 upstream sockets closed");
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var nowhere = new OpenAiCompatibleModel(new OpenAiSettings("x", URI.create("http://127.0.0.1:" + port + "/v1"), KEY, FAST),
                io.aichatbot.llm.ProviderHttp.newClient(FAST));

        ModelFailure failure = failure(drain(nowhere.open(request(true))));

        assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.CONNECT);
        assertThat(failure.retriable()).isTrue();
        assertThat(failure.message()).doesNotContain(KEY);
    }

    @Test
    void keepAliveConnectionsAreReusedAcrossCallsEvenWhenClosedRightAfterDone() throws Exception {
        for (int i = 0; i < 5; i++) {
            ModelStream stream = model.open(request(i % 2 == 0));
            drain(stream);
            stream.close(); // as a turn does: after Done this must not cost the connection
            Thread.sleep(20); // the end of the chunked body reaches the pool a moment after [DONE]
        }
        assertThat(upstream.totalConnections()).isEqualTo(1);
    }
}
