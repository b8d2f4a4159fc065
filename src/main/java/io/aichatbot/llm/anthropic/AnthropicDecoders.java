package io.aichatbot.llm.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aichatbot.llm.HttpModelStream;
import io.aichatbot.llm.ProviderHttp;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.SseParser;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Response body decoders for streamed and whole Messages API answers. Not thread-safe. */
final class AnthropicDecoders {

    static final int MAX_LINE = 1024 * 1024;

    private AnthropicDecoders() {}

    /**
     * A stream as it arrives on the wire (each event's {@code type} repeats its SSE name):
     * <pre>
     * event: message_start
     * data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-x","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}
     *
     * event: content_block_start
     * data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
     *
     * event: ping
     * data: {"type":"ping"}
     *
     * event: content_block_delta
     * data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}
     *
     * event: content_block_stop
     * data: {"type":"content_block_stop","index":0}
     *
     * event: message_delta
     * data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}
     *
     * event: message_stop
     * data: {"type":"message_stop"}
     * </pre>
     * Only text_delta becomes a Delta: thinking, signature and tool-input deltas are not answer
     * text. message_delta usage is cumulative, so the last one wins. Usage and Done are emitted at
     * message_stop; a body that ends before it was cut, which is a PROTOCOL failure. The reference
     * says new event types may appear and must be ignored, so unknown types are.
     */
    static final class Streaming implements HttpModelStream.Decoder {
        private final String apiKey;
        private final SseParser parser;
        private Consumer<ModelEvent> emit;
        private Integer inputTokens;
        private Integer outputTokens;
        private String stopReason;
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
            AnthropicWire.StreamEvent data;
            try {
                data = AnthropicMapper.JSON.readValue(event.data(), AnthropicWire.StreamEvent.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stream event is not JSON");
            }
            String type = data.type() != null ? data.type() : event.event();
            switch (type) {
                case "message_start" -> {
                    if (data.message() != null && data.message().usage() != null) {
                        takeUsage(data.message().usage());
                    }
                }
                case "content_block_delta" -> {
                    var delta = data.delta();
                    if (delta != null && "text_delta".equals(delta.type()) && delta.text() != null && !delta.text().isEmpty()) {
                        emit.accept(new ModelEvent.Delta(delta.text()));
                    }
                }
                case "message_delta" -> {
                    if (data.delta() != null && data.delta().stopReason() != null) {
                        stopReason = data.delta().stopReason();
                    }
                    if (data.usage() != null) {
                        takeUsage(data.usage());
                    }
                }
                case "message_stop" -> {
                    finished = true;
                    if (inputTokens != null || outputTokens != null) {
                        emit.accept(new ModelEvent.Usage(orZero(inputTokens), orZero(outputTokens)));
                    }
                    emit.accept(new ModelEvent.Done(AnthropicMapper.toFinishReason(stopReason)));
                }
                case "error" -> {
                    finished = true;
                    var error = data.error() != null ? data.error() : new AnthropicWire.ErrorBody("api_error", null);
                    emit.accept(new ModelEvent.Failed(AnthropicMapper.toFailure(error, apiKey)));
                }
                default -> { } // ping, content_block_start/stop, and event types added later
            }
        }

        /** Later counts replace earlier ones: message_delta's are cumulative and may add input_tokens. */
        private void takeUsage(AnthropicWire.Usage usage) {
            if (usage.inputTokens() != null) {
                inputTokens = usage.inputTokens();
            }
            if (usage.outputTokens() != null) {
                outputTokens = usage.outputTokens();
            }
        }

        @Override
        public void onEnd(Consumer<ModelEvent> emit) {
            if (!finished) {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL,
                        "the provider's stream ended before message_stop")));
            }
        }
    }

    /** A whole {@code message} object: one Delta with the text of all text blocks, Usage, Done. */
    static final class Whole extends ProviderHttp.WholeBody<AnthropicWire.Message> {
        private final String apiKey;

        Whole(String apiKey) {
            super(AnthropicMapper.JSON, AnthropicWire.Message.class);
            this.apiKey = apiKey;
        }

        @Override
        protected void decode(AnthropicWire.Message message, Consumer<ModelEvent> emit) {
            if ("error".equals(message.type()) || message.error() != null) {
                var error = message.error() != null ? message.error() : new AnthropicWire.ErrorBody("api_error", null);
                emit.accept(new ModelEvent.Failed(AnthropicMapper.toFailure(error, apiKey)));
                return;
            }
            if (message.content() == null) {
                emit.accept(new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.PROTOCOL, "the answer has no content")));
                return;
            }
            StringBuilder text = new StringBuilder();
            for (AnthropicWire.ContentBlock block : message.content()) {
                if ("text".equals(block.type()) && block.text() != null) {
                    text.append(block.text());
                }
            }
            if (!text.isEmpty()) {
                emit.accept(new ModelEvent.Delta(text.toString()));
            }
            if (message.usage() != null) {
                emit.accept(new ModelEvent.Usage(orZero(message.usage().inputTokens()), orZero(message.usage().outputTokens())));
            }
            emit.accept(new ModelEvent.Done(AnthropicMapper.toFinishReason(message.stopReason())));
        }
    }

    private static int orZero(Integer count) {
        return count == null ? 0 : count;
    }
}
