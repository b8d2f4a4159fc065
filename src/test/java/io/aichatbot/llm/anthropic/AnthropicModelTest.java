package io.aichatbot.llm.anthropic;

import static io.aichatbot.testing.ModelEvents.drain;
import static io.aichatbot.testing.ModelEvents.failure;
import static io.aichatbot.testing.ModelEvents.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ProviderTransportContract;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.llm.PromptMessage.Role;
import io.aichatbot.llm.Timeouts;
import io.aichatbot.testing.FakeAnthropicServer;
import io.aichatbot.testing.FakeAnthropicServer.Behavior;
import io.aichatbot.testing.FakeHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Anthropic client against a local server replaying the documented Messages API wire format. */
class AnthropicModelTest extends ProviderTransportContract {

    static final String KEY = "sk-ant-api03-canary0123456789abcdefCANARY";

    FakeAnthropicServer upstream;
    AnthropicModel model;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeAnthropicServer();
        model = model(FAST);
    }

    AnthropicModel model(Timeouts timeouts) {
        return new AnthropicModel(new AnthropicSettings("test", URI.create(upstream.baseUrl()), KEY, timeouts),
                io.aichatbot.llm.ProviderHttp.newClient(timeouts));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
    }

    @Override
    protected AnthropicModel client(Timeouts timeouts) {
        return model(timeouts);
    }

    @Override
    protected AnthropicModel clientAt(URI baseUrl, Timeouts timeouts) {
        return new AnthropicModel(new AnthropicSettings("x", URI.create(baseUrl + ""), KEY, timeouts),
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
        return "req_fake_";
    }

    static ModelRequest request(boolean stream) {
        return new ModelRequest("claude-test", List.of(new PromptMessage(Role.SYSTEM, "Be brief."),
                new PromptMessage(Role.USER, "Hi")), 64, stream);
    }

    @Test
    void aStreamedAnswerArrivesInOrderThenUsageOnceThenDoneWithTheStopReason() throws Exception {
        upstream.behave(Behavior.answering("Hel", "lo", " there"));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(events).containsExactly(new ModelEvent.Delta("Hel"), new ModelEvent.Delta("lo"), new ModelEvent.Delta(" there"),
                new ModelEvent.Usage(FakeAnthropicServer.INPUT_TOKENS, 3), new ModelEvent.Done("stop"));
    }

    @Test
    void thinkingAndSignatureDeltasAreNotAnswerText() throws Exception {
        upstream.behave(Behavior.answering("Four.").withThinking().stopReason("max_tokens"));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("Four.");
        assertThat(events.getLast()).as("Anthropic's max_tokens is stored as length, as for every provider").isEqualTo(new ModelEvent.Done("length"));
    }

    @Test
    void theRequestCarriesPathVersionHeaderKeyAndTheDocumentedBody() throws Exception {
        drain(model.open(request(true)));

        var received = upstream.requests.getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/v1/messages");
        assertThat(received.headers().get("x-api-key")).isEqualTo(KEY);
        assertThat(received.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(received.headers().get("content-type")).isEqualTo("application/json");
        assertThat(received.headers().get("accept")).isEqualTo("text/event-stream");
        assertThat(received.headers()).doesNotContainKey("Authorization");
        assertThat(received.body().toString()).isEqualTo("{\"model\":\"claude-test\",\"max_tokens\":64,\"system\":\"Be brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}");
    }

    @Test
    void systemMessagesMoveToTheSystemFieldAndTurnsAreMadeToAlternateStartingWithTheUser() throws Exception {
        var messages = List.of(new PromptMessage(Role.ASSISTANT, "Welcome! Ask me anything."),
                new PromptMessage(Role.SYSTEM, "Be brief."), new PromptMessage(Role.USER, "Hi"),
                new PromptMessage(Role.USER, "Are you there?"), new PromptMessage(Role.SYSTEM, "Answer in English."),
                new PromptMessage(Role.ASSISTANT, "Yes."), new PromptMessage(Role.USER, "  "),
                new PromptMessage(Role.ASSISTANT, "How can I help?"), new PromptMessage(Role.USER, "Say hi"));

        drain(model.open(new ModelRequest("claude-test", messages, 64, false)));

        var body = upstream.requests.getFirst().body();
        assertThat(body.get("system").asText()).isEqualTo("Be brief.\n\nAnswer in English.");
        assertThat(body.get("stream").asBoolean()).isFalse();
        assertThat(body.get("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Hi\\n\\nAre you there?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Yes.\\n\\nHow can I help?\"},{\"role\":\"user\",\"content\":\"Say hi\"}]");
    }

    @Test
    void aPromptWithoutSystemMessagesSendsNoSystemField() throws Exception {
        drain(model.open(new ModelRequest("claude-test", List.of(new PromptMessage(Role.USER, "Hi")), 64, true)));

        assertThat(upstream.requests.getFirst().body().has("system")).isFalse();
    }

    @Test
    void aNonStreamedAnswerIsOneDeltaOfAllTextBlocksWithUsageAndTheStopReason() throws Exception {
        upstream.behave(Behavior.answering("Whole ", "answer").withThinking());

        List<ModelEvent> events = drain(model.open(request(false)));

        assertThat(events).containsExactly(new ModelEvent.Delta("Whole answer"),
                new ModelEvent.Usage(FakeAnthropicServer.INPUT_TOKENS, 2), new ModelEvent.Done("stop"));
        assertThat(upstream.requests.getFirst().headers().get("accept")).isEqualTo("application/json");
    }

    @Test
    void errorStatusesMapToTypedFailuresWithTheVendorMessageAndRequestId() throws Exception {
        record Case(int status, String type, ModelFailure.Kind kind) {}
        for (Case c : List.of(new Case(400, "invalid_request_error", ModelFailure.Kind.BAD_REQUEST),
                new Case(401, "authentication_error", ModelFailure.Kind.AUTH),
                new Case(403, "permission_error", ModelFailure.Kind.AUTH),
                new Case(404, "not_found_error", ModelFailure.Kind.BAD_REQUEST),
                new Case(413, "request_too_large", ModelFailure.Kind.BAD_REQUEST),
                new Case(429, "rate_limit_error", ModelFailure.Kind.RATE_LIMITED),
                new Case(500, "api_error", ModelFailure.Kind.SERVER_ERROR),
                new Case(504, "timeout_error", ModelFailure.Kind.TIMEOUT),
                new Case(529, "overloaded_error", ModelFailure.Kind.SERVER_ERROR))) {
            upstream.behave(Behavior.error(c.status(), c.type(), "vendor says " + c.status()));

            ModelFailure failure = failure(drain(model.open(request(true))));

            assertThat(failure.kind()).as("status " + c.status()).isEqualTo(c.kind());
            assertThat(failure.httpStatus()).isEqualTo(c.status());
            assertThat(failure.message()).isEqualTo("vendor says " + c.status());
            assertThat(failure.requestId()).startsWith("req_fake_");
            assertThat(failure.retriable()).as("status " + c.status()).isEqualTo(c.status() == 429 || c.status() >= 500);
            assertThat(failure.retryAfter()).isEqualTo(c.status() == 429 || c.status() == 529 ? Duration.ofSeconds(7) : null);
        }
    }

    @Test
    void aKeyEchoedInAnErrorMessageIsRedactedAndNeverPrinted() throws Exception {
        upstream.behave(Behavior.error(401, "authentication_error", "invalid x-api-key " + KEY + " (sk-ant-api03-can***ARY)"));

        ModelFailure failure = failure(drain(model.open(request(true))));

        assertThat(failure.message()).doesNotContain(KEY).doesNotContain("canary").contains("[redacted]");
        assertThat(failure.toString()).doesNotContain(KEY);
        assertThat(model.toString()).doesNotContain(KEY).contains("***");
    }

    @Test
    void aKeyEchoedInAStreamedErrorIsRedactedToo() throws Exception {
        upstream.behave(Behavior.answering("a").inStreamError("authentication_error", "bad key " + KEY));

        ModelFailure failure = failure(drain(model.open(request(true))));

        assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.AUTH);
        assertThat(failure.message()).doesNotContain(KEY).contains("[redacted]");
    }

    @Test
    void aStreamCutMidwayIsAProtocolFailureAfterTheDeltasAlreadySeen() throws Exception {
        upstream.behave(Behavior.answering("one ", "two ", "three").cutAfter(2));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("one two ");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.PROTOCOL);
    }

    @Test
    void aStreamThatEndsWithoutMessageStopIsNeverPresentedAsComplete() throws Exception {
        upstream.behave(Behavior.answering("maybe").withoutMessageStop());

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("maybe");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.PROTOCOL);
    }

    @Test
    void errorEventsInsideTheStreamEndItAsFailedOfTheMatchingKind() throws Exception {
        record Case(String type, ModelFailure.Kind kind) {}
        for (Case c : List.of(new Case("overloaded_error", ModelFailure.Kind.SERVER_ERROR),
                new Case("api_error", ModelFailure.Kind.SERVER_ERROR),
                new Case("rate_limit_error", ModelFailure.Kind.RATE_LIMITED),
                new Case("invalid_request_error", ModelFailure.Kind.BAD_REQUEST),
                new Case("something_new_error", ModelFailure.Kind.BAD_REQUEST))) {
            upstream.behave(Behavior.answering("partial").inStreamError(c.type(), "Overloaded"));

            List<ModelEvent> events = drain(model.open(request(true)));

            assertThat(text(events)).isEqualTo("partial");
            assertThat(failure(events).kind()).as(c.type()).isEqualTo(c.kind());
            assertThat(failure(events).message()).isEqualTo("Overloaded");
            // The status was 200, but the provider's request id (its request-id header) is kept
            // for the error found inside the body: it is what its support asks for.
            assertThat(failure(events).requestId()).startsWith("req_fake_");
        }
    }

    @Test
    void aBaseUrlThatAlreadyEndsInV1IsNotDoubled() throws Exception {
        var versioned = new AnthropicModel(new AnthropicSettings("v", URI.create(upstream.baseUrl() + "/v1/"), KEY, FAST),
                io.aichatbot.llm.ProviderHttp.newClient(FAST));

        drain(versioned.open(request(true)));

        assertThat(upstream.requests.getFirst().path()).isEqualTo("/v1/messages");
    }

    @Test
    void settingsForAnthropicsOwnEndpointRefuseToStartWithoutAKey() {
        assertThatThrownBy(() -> new AnthropicSettings("claude", URI.create("https://api.anthropic.com"), null, FAST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api-key-env");
        assertThat(new AnthropicSettings("local", URI.create("http://127.0.0.1:8000"), null, FAST).toString()).contains("apiKey=none");
    }
}
