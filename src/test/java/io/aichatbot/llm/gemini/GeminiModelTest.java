package io.aichatbot.llm.gemini;

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
import io.aichatbot.testing.FakeGeminiServer;
import io.aichatbot.testing.FakeGeminiServer.Behavior;
import io.aichatbot.testing.FakeHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Gemini client against a local server replaying the documented generateContent wire format. */
class GeminiModelTest extends ProviderTransportContract {

    /** Shaped like a real key ("AIza" + 35 characters) so the pattern-based redaction is exercised too. */
    static final String KEY = "AIzaSyCANARY0123456789abcdefghijklmnop";

    FakeGeminiServer upstream;
    GeminiModel model;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeGeminiServer();
        model = model(FAST);
    }

    GeminiModel model(Timeouts timeouts) {
        return new GeminiModel(new GeminiSettings("test", URI.create(upstream.baseUrl()), KEY, timeouts),
                io.aichatbot.llm.ProviderHttp.newClient(timeouts));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
    }

    @Override
    protected GeminiModel client(Timeouts timeouts) {
        return model(timeouts);
    }

    @Override
    protected GeminiModel clientAt(URI baseUrl, Timeouts timeouts) {
        return new GeminiModel(new GeminiSettings("x", URI.create(baseUrl + ""), KEY, timeouts),
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
        return null;
    }

    static ModelRequest request(boolean stream) {
        return new ModelRequest("gemini-test", List.of(new PromptMessage(Role.SYSTEM, "Be brief."),
                new PromptMessage(Role.USER, "Hi")), 64, stream);
    }

    @Test
    void aStreamedAnswerArrivesInOrderThenTheLastUsageOnceThenDone() throws Exception {
        upstream.behave(Behavior.answering("Hel", "lo", " there"));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(events).containsExactly(new ModelEvent.Delta("Hel"), new ModelEvent.Delta("lo"), new ModelEvent.Delta(" there"),
                new ModelEvent.Usage(FakeGeminiServer.PROMPT_TOKENS, 3), new ModelEvent.Done("stop"));
    }

    @Test
    void thoughtSummariesAreNotAnswerTextButThoughtTokensCountAsOutput() throws Exception {
        upstream.behave(Behavior.answering("Four.").withThoughts());

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("Four.");
        assertThat(events).contains(new ModelEvent.Usage(FakeGeminiServer.PROMPT_TOKENS, 1 + FakeGeminiServer.THOUGHT_TOKENS));
    }

    @Test
    void theRequestCarriesTheKeyOnlyInItsHeaderAndTheDocumentedBody() throws Exception {
        drain(model.open(request(true)));

        var received = upstream.requests.getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/v1beta/models/gemini-test:streamGenerateContent?alt=sse");
        assertThat(received.headers().get("x-goog-api-key")).isEqualTo(KEY);
        assertThat(received.headers().get("content-type")).isEqualTo("application/json");
        assertThat(received.headers()).doesNotContainKey("Authorization");
        assertThat(received.body().toString()).isEqualTo("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},\"generationConfig\":{\"maxOutputTokens\":64}}");
    }

    @Test
    void aNonStreamedCallUsesGenerateContent() throws Exception {
        drain(model.open(request(false)));

        assertThat(upstream.requests.getFirst().path()).isEqualTo("/v1beta/models/gemini-test:generateContent");
    }

    @Test
    void systemMessagesBecomeTheSystemInstructionAndTurnsAlternateStartingWithTheUser() throws Exception {
        var messages = List.of(new PromptMessage(Role.ASSISTANT, "Welcome!"), new PromptMessage(Role.SYSTEM, "Be brief."),
                new PromptMessage(Role.USER, "Hi"), new PromptMessage(Role.USER, "Still there?"),
                new PromptMessage(Role.SYSTEM, "Answer in English."), new PromptMessage(Role.ASSISTANT, "Yes."),
                new PromptMessage(Role.USER, ""), new PromptMessage(Role.ASSISTANT, "Go on."), new PromptMessage(Role.USER, "Say hi"));

        drain(model.open(new ModelRequest("gemini-test", messages, 64, true)));

        var body = upstream.requests.getFirst().body();
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.\n\nAnswer in English.");
        assertThat(body.get("contents").toString()).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\\n\\nStill there?\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Yes.\\n\\nGo on.\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi\"}]}]");
    }

    @Test
    void aPromptWithoutSystemMessagesSendsNoSystemInstruction() throws Exception {
        drain(model.open(new ModelRequest("gemini-test", List.of(new PromptMessage(Role.USER, "Hi")), 64, true)));

        assertThat(upstream.requests.getFirst().body().has("systemInstruction")).isFalse();
    }

    @Test
    void aModelIdCannotAlterThePathOrAddAQuery() throws Exception {
        drain(model.open(new ModelRequest("models/odd name?key=x#y", List.of(new PromptMessage(Role.USER, "Hi")), 64, false)));

        assertThat(upstream.requests.getFirst().path()).isEqualTo("/v1beta/models/odd%20name%3Fkey%3Dx%23y:generateContent");
    }

    @Test
    void aNonStreamedAnswerIsOneDeltaWithUsageAndTheFinishReason() throws Exception {
        upstream.behave(Behavior.answering("Whole ", "answer").withThoughts());

        List<ModelEvent> events = drain(model.open(request(false)));

        assertThat(events).containsExactly(new ModelEvent.Delta("Whole answer"),
                new ModelEvent.Usage(FakeGeminiServer.PROMPT_TOKENS, 2 + FakeGeminiServer.THOUGHT_TOKENS), new ModelEvent.Done("stop"));
    }

    @Test
    void finishReasonsMapToNeutralWordsAndSafetyStopsKeepThePartialText() throws Exception {
        record Case(String gemini, String done) {}
        for (Case c : List.of(new Case("MAX_TOKENS", "length"), new Case("SAFETY", "content_filter"),
                new Case("RECITATION", "content_filter"), new Case("BLOCKLIST", "content_filter"),
                new Case("PROHIBITED_CONTENT", "content_filter"), new Case("SPII", "content_filter"),
                new Case("LANGUAGE", "language"), new Case("OTHER", "other"),
                new Case("MALFORMED_FUNCTION_CALL", "malformed_function_call"))) {
            upstream.behave(Behavior.answering("partial ", "text").finishReason(c.gemini()));

            List<ModelEvent> events = drain(model.open(request(true)));

            assertThat(text(events)).isEqualTo("partial text");
            assertThat(events.getLast()).as(c.gemini()).isEqualTo(new ModelEvent.Done(c.done()));
        }
    }

    @Test
    void aBlockedPromptIsABadRequestNamingTheReason() throws Exception {
        for (boolean stream : new boolean[] {true, false}) {
            upstream.behave(Behavior.blocked("SAFETY"));

            ModelFailure failure = failure(drain(model.open(request(stream))));

            assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.BAD_REQUEST);
            assertThat(failure.message()).isEqualTo("the provider blocked the prompt: SAFETY");
        }
    }

    @Test
    void errorStatusesMapToTypedFailuresWithTheVendorMessage() throws Exception {
        record Case(int status, String grpc, ModelFailure.Kind kind) {}
        for (Case c : List.of(new Case(400, "INVALID_ARGUMENT", ModelFailure.Kind.BAD_REQUEST),
                new Case(400, "FAILED_PRECONDITION", ModelFailure.Kind.BAD_REQUEST),
                new Case(403, "PERMISSION_DENIED", ModelFailure.Kind.AUTH),
                new Case(404, "NOT_FOUND", ModelFailure.Kind.BAD_REQUEST),
                new Case(429, "RESOURCE_EXHAUSTED", ModelFailure.Kind.RATE_LIMITED),
                new Case(500, "INTERNAL", ModelFailure.Kind.SERVER_ERROR),
                new Case(503, "UNAVAILABLE", ModelFailure.Kind.SERVER_ERROR),
                new Case(504, "DEADLINE_EXCEEDED", ModelFailure.Kind.TIMEOUT))) {
            upstream.behave(Behavior.error(c.status(), c.grpc(), "vendor says " + c.grpc()));

            ModelFailure failure = failure(drain(model.open(request(true))));

            assertThat(failure.kind()).as(c.grpc()).isEqualTo(c.kind());
            assertThat(failure.httpStatus()).isEqualTo(c.status());
            assertThat(failure.message()).isEqualTo("vendor says " + c.grpc());
            assertThat(failure.requestId()).as("Gemini documents no request-id header").isNull();
            assertThat(failure.retriable()).as(c.grpc()).isEqualTo(c.status() == 429 || c.status() >= 500);
        }
    }

    @Test
    void aWrongKeyIsAnAuthFailureEvenThoughGoogleAnswers400() throws Exception {
        upstream.behave(Behavior.badKey("API key not valid. Please pass a valid API key."));

        ModelFailure failure = failure(drain(model.open(request(true))));

        assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.AUTH);
        assertThat(failure.retriable()).isFalse();
        assertThat(failure.message()).isEqualTo("API key not valid. Please pass a valid API key.");
    }

    @Test
    void theKeyAndAnythingKeyLikeIsRedactedFromEveryMessage() throws Exception {
        upstream.behave(Behavior.badKey("API key not valid: " + KEY + " in https://generativelanguage.googleapis.com/v1beta/"
                + "models/x:generateContent?key=" + KEY + "&alt=sse, nor AIzaSyOTHERKEY0123456789abcdefghijklmno"));

        ModelFailure failure = failure(drain(model.open(request(false))));

        assertThat(failure.message()).doesNotContain(KEY).doesNotContain("CANARY").doesNotContain("AIza")
                .contains("?key=[redacted]&alt=sse");
        assertThat(failure.toString()).doesNotContain(KEY);
        assertThat(model.toString()).doesNotContain(KEY).contains("***");
    }

    @Test
    void aStreamCutMidwayIsAProtocolFailureAfterTheDeltasAlreadySeen() throws Exception {
        upstream.behave(Behavior.answering("one ", "two ", "three").cutAfter(2));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("one two ");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.PROTOCOL);
    }

    @Test
    void aStreamThatEndsWithoutAnyFinishReasonIsNeverPresentedAsComplete() throws Exception {
        upstream.behave(Behavior.answering("maybe", " more").finishReason(null));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("maybe more");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.PROTOCOL);
    }

    @Test
    void anErrorObjectInsideTheStreamEndsItAsFailed() throws Exception {
        upstream.behave(Behavior.answering("partial").inStreamError(503, "UNAVAILABLE", "The model is overloaded."));

        List<ModelEvent> events = drain(model.open(request(true)));

        assertThat(text(events)).isEqualTo("partial");
        assertThat(failure(events).kind()).isEqualTo(ModelFailure.Kind.SERVER_ERROR);
        assertThat(failure(events).message()).isEqualTo("The model is overloaded.");
    }

    @Test
    void aBaseUrlWithItsOwnApiVersionKeepsIt() throws Exception {
        var v1 = new GeminiModel(new GeminiSettings("v1", URI.create(upstream.baseUrl() + "/v1/"), KEY, FAST),
                io.aichatbot.llm.ProviderHttp.newClient(FAST));

        drain(v1.open(request(false)));

        assertThat(upstream.requests.getFirst().path()).isEqualTo("/v1/models/gemini-test:generateContent");
    }

    @Test
    void settingsRefuseAKeyInTheUrlAndGooglesEndpointWithoutAKey() {
        assertThatThrownBy(() -> new GeminiSettings("g", URI.create("https://generativelanguage.googleapis.com?key=" + KEY), KEY, FAST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no query").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> new GeminiSettings("g", URI.create("https://generativelanguage.googleapis.com"), null, FAST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api-key-env");
    }
}
