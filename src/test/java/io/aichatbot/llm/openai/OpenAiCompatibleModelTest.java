package io.aichatbot.llm.openai;

import static io.aichatbot.testing.ModelEvents.drain;
import static io.aichatbot.testing.ModelEvents.failure;
import static io.aichatbot.testing.ModelEvents.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ProviderTransportContract;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.llm.Timeouts;
import io.aichatbot.testing.FakeHttpServer;
import io.aichatbot.testing.FakeOpenAiServer;
import io.aichatbot.testing.FakeOpenAiServer.Behavior;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible client against a local server replaying the documented wire format. */
class OpenAiCompatibleModelTest extends ProviderTransportContract {

    static final String KEY = "sk-canary-0123456789abcdefCANARY";

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

    @Override
    protected OpenAiCompatibleModel client(Timeouts timeouts) {
        return model(KEY, timeouts);
    }

    @Override
    protected OpenAiCompatibleModel clientAt(URI baseUrl, Timeouts timeouts) {
        return new OpenAiCompatibleModel(new OpenAiSettings("x", URI.create(baseUrl + "/v1"), KEY, timeouts),
                io.aichatbot.llm.ProviderHttp.newClient(timeouts));
    }

    @Override
    protected String key() {
        return KEY;
    }

    @Override
    protected ModelRequest sampleRequest(boolean stream) {
        return request(stream);
    }

    @Override
    protected void answerAfter(Duration firstDelay, String... deltas) {
        upstream.behave(Behavior.answering(deltas).delays(firstDelay, Duration.ZERO));
    }

    @Override
    protected void answerThenHang(int after, String... deltas) {
        upstream.behave(Behavior.answering(deltas).hangAfter(after));
    }

    @Override
    protected FakeHttpServer fake() {
        return upstream;
    }

    @Override
    protected String requestIdPrefix() {
        return "req_";
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

}
