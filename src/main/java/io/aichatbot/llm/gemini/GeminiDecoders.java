package io.aichatbot.llm.gemini;

import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ProviderHttp;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.SseParser;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Response body decoders for streamed and whole generateContent answers. Not thread-safe. */
final class GeminiDecoders {

    static final int MAX_LINE = 1024 * 1024;

    private GeminiDecoders() {}

    /**
     * What the response objects read so far said. A prompt blocked outright comes as
     * {@code {"promptFeedback":{"blockReason":"SAFETY"}}} with no candidates; an error may come as
     * {@code {"error":{...}}}; either ends the call as {@link #failure}. We ask for one candidate,
     * so only index 0 counts. Usage counts are merged field by field, last value wins, because
     * early chunks carry only some of them.
     */
    static final class Answer {
        private final String apiKey;
        private String finishReason;
        private Integer promptTokens;
        private Integer candidateTokens;
        private Integer thoughtTokens;
        private ModelFailure failure;

        Answer(String apiKey) {
            this.apiKey = apiKey;
        }

        void take(GeminiWire.GenerateResponse response, Consumer<String> text) {
            if (response.error() != null) {
                failure = GeminiMapper.toFailure(response.error(), apiKey);
                return;
            }
            if (response.usageMetadata() != null) {
                var usage = response.usageMetadata();
                promptTokens = usage.promptTokenCount() != null ? usage.promptTokenCount() : promptTokens;
                candidateTokens = usage.candidatesTokenCount() != null ? usage.candidatesTokenCount() : candidateTokens;
                thoughtTokens = usage.thoughtsTokenCount() != null ? usage.thoughtsTokenCount() : thoughtTokens;
            }
            boolean noCandidates = response.candidates() == null || response.candidates().isEmpty();
            if (noCandidates && response.promptFeedback() != null && response.promptFeedback().blockReason() != null) {
                failure = ModelFailure.of(ModelFailure.Kind.BAD_REQUEST,
                        "the provider blocked the prompt: " + response.promptFeedback().blockReason());
                return;
            }
            if (noCandidates) {
                return; // a usage-only chunk
            }
            for (GeminiWire.Candidate candidate : response.candidates()) {
                if (candidate.index() != null && candidate.index() != 0) {
                    continue;
                }
                if (candidate.content() != null && candidate.content().parts() != null) {
                    for (GeminiWire.Part part : candidate.content().parts()) {
                        if (!Boolean.TRUE.equals(part.thought()) && part.text() != null && !part.text().isEmpty()) {
                            text.accept(part.text());
                        }
                    }
                }
                if (candidate.finishReason() != null) {
                    finishReason = candidate.finishReason();
                }
            }
        }

        /** Usage (when the provider sent any) then Done, for an answer known to be complete. */
        void finish(Consumer<ModelEvent> emit) {
            if (promptTokens != null || candidateTokens != null || thoughtTokens != null) {
                emit.accept(new ModelEvent.Usage(orZero(promptTokens), orZero(candidateTokens) + orZero(thoughtTokens)));
            }
            emit.accept(new ModelEvent.Done(GeminiMapper.toFinishReason(finishReason == null ? "STOP" : finishReason)));
        }
    }

    /**
     * {@code alt=sse}: each event's data is one whole GenerateContentResponse; there are no event
     * names and no end marker, the body simply ends:
     * <pre>
     * data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.0-flash"}
     *
     * data: {"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":2,"totalTokenCount":10},"modelVersion":"gemini-2.0-flash"}
     *
     * </pre>
     * So the answer is complete only when some chunk carried a finishReason and then the body
     * ended; Usage and Done are emitted at the end of the body. A body that ends without any
     * finishReason was cut, which is a PROTOCOL failure.
     */
    static final class Streaming implements HttpModelStream.Decoder {
        private final SseParser parser;
        private final Answer answer;
        private Consumer<ModelEvent> emit;
        private boolean failed;

        Streaming(String apiKey) {
            this.answer = new Answer(apiKey);
            this.parser = new SseParser(MAX_LINE, this::onEvent);
        }

        @Override
        public void onBytes(ByteBuffer bytes, Consumer<ModelEvent> emit) {
            this.emit = emit;
            parser.feed(bytes);
        }

        private void onEvent(SseParser.Event event) {
            if (failed) {
                return;
            }
            GeminiWire.GenerateResponse response;
            try {
                response = GeminiMapper.JSON.readValue(event.data(), GeminiWire.GenerateResponse.class);
            } catch (Exception e) {
                throw new IllegalStateException("a stream chunk is not JSON");
            }
            answer.take(response, text -> emit.accept(new ModelEvent.Delta(text)));
            if (answer.failure != null) {
                failed = true;
                emit.accept(new ModelEvent.Failed(answer.failure));
            }
        }

        @Override
        public void onEnd(Consumer<ModelEvent> emit) {
            if (failed) {
                return;
            }
            if (answer.finishReason != null) {
                answer.finish(emit);
            } else {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL,
                        "the provider's stream ended before a finishReason")));
            }
        }
    }

    /** A whole GenerateContentResponse: one Delta with all the text, Usage, Done. */
    static final class Whole extends ProviderHttp.WholeBody<GeminiWire.GenerateResponse> {
        private final String apiKey;

        Whole(String apiKey) {
            super(GeminiMapper.JSON, GeminiWire.GenerateResponse.class);
            this.apiKey = apiKey;
        }

        @Override
        protected void decode(GeminiWire.GenerateResponse response, Consumer<ModelEvent> emit) {
            Answer answer = new Answer(apiKey);
            StringBuilder text = new StringBuilder();
            answer.take(response, text::append);
            if (answer.failure != null) {
                emit.accept(new ModelEvent.Failed(answer.failure));
                return;
            }
            if (response.candidates() == null || response.candidates().isEmpty()) {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL, "the answer has no candidates")));
                return;
            }
            if (!text.isEmpty()) {
                emit.accept(new ModelEvent.Delta(text.toString()));
            }
            answer.finish(emit);
        }
    }

    private static int orZero(Integer count) {
        return count == null ? 0 : count;
    }
}
