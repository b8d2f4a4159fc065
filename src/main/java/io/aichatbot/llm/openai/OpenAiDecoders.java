package io.aichatbot.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ProviderHttp;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.SseParser;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Response body decoders for streamed and whole Chat Completions answers. Not thread-safe. */
final class OpenAiDecoders {

    static final int MAX_LINE = 1024 * 1024;

    private OpenAiDecoders() {}

    /**
     * {@code data: {chunk}} events, then {@code data: [DONE]}. With include_usage the last chunk
     * before [DONE] has {@code "choices": []} and the usage. Done is emitted at [DONE]; a server
     * that omits [DONE] but sent a finish_reason still ends with Done; a stream that ends with
     * neither was cut, and that is a PROTOCOL failure, never a complete answer.
     */
    static final class Streaming implements HttpModelStream.Decoder {
        private final String apiKey;
        private final SseParser parser;
        private Consumer<ModelEvent> emit;
        private String finishReason;
        private boolean finished;

        Streaming(String apiKey) {
            this.apiKey = apiKey;
            this.parser = new SseParser(MAX_LINE, this::onEvent);
        }

        @Override
        public void onBytes(ByteBuffer bytes, Consumer<ModelEvent> emit) {
            this.emit = emit;
            parser.feed(bytes);
        }

        private void onEvent(SseParser.Event event) {
            if (finished) {
                return;
            }
            String data = event.data();
            if (data.equals("[DONE]")) {
                finished = true;
                emit.accept(new ModelEvent.Done(finishReason == null ? "stop" : finishReason));
                return;
            }
            OpenAiWire.Chunk chunk;
            try {
                chunk = OpenAiMapper.JSON.readValue(data, OpenAiWire.Chunk.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stream chunk is not JSON");
            }
            if (chunk.error() != null) {
                finished = true;
                emit.accept(new ModelEvent.Failed(OpenAiMapper.toFailure(chunk.error(), apiKey)));
                return;
            }
            if (chunk.choices() != null) {
                for (OpenAiWire.ChunkChoice choice : chunk.choices()) {
                    if (choice.index() != 0) {
                        continue; // we ask for one choice; ignore any others
                    }
                    if (choice.delta() != null && choice.delta().content() != null && !choice.delta().content().isEmpty()) {
                        emit.accept(new ModelEvent.Delta(choice.delta().content()));
                    }
                    if (choice.finishReason() != null) {
                        finishReason = choice.finishReason();
                    }
                }
            }
            if (chunk.usage() != null && chunk.usage().promptTokens() != null) {
                emit.accept(new ModelEvent.Usage(chunk.usage().promptTokens(),
                        chunk.usage().completionTokens() == null ? 0 : chunk.usage().completionTokens()));
            }
        }

        @Override
        public void onEnd(Consumer<ModelEvent> emit) {
            if (finished) {
                return;
            }
            if (finishReason != null) {
                emit.accept(new ModelEvent.Done(finishReason));
            } else {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL,
                        "the provider's stream ended before the answer was complete")));
            }
        }
    }

    /** A whole {@code chat.completion} object: one Delta with all the text, Usage, Done. */
    static final class Whole extends ProviderHttp.WholeBody<OpenAiWire.Completion> {
        private final String apiKey;

        Whole(String apiKey) {
            super(OpenAiMapper.JSON, OpenAiWire.Completion.class);
            this.apiKey = apiKey;
        }

        @Override
        protected void decode(OpenAiWire.Completion completion, Consumer<ModelEvent> emit) {
            if (completion.error() != null) {
                emit.accept(new ModelEvent.Failed(OpenAiMapper.toFailure(completion.error(), apiKey)));
                return;
            }
            if (completion.choices() == null || completion.choices().isEmpty()) {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL, "the answer has no choices")));
                return;
            }
            OpenAiWire.CompletionChoice choice = completion.choices().getFirst();
            if (choice.message() != null && choice.message().content() != null && !choice.message().content().isEmpty()) {
                emit.accept(new ModelEvent.Delta(choice.message().content()));
            }
            if (completion.usage() != null && completion.usage().promptTokens() != null) {
                emit.accept(new ModelEvent.Usage(completion.usage().promptTokens(),
                        completion.usage().completionTokens() == null ? 0 : completion.usage().completionTokens()));
            }
            emit.accept(new ModelEvent.Done(choice.finishReason() == null ? "stop" : choice.finishReason()));
        }
    }
}
