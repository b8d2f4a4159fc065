package io.aichatbot.llm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental Server-Sent Events parser (WHATWG HTML, "event stream interpretation"), fed
 * network chunks as they arrive. Provider-neutral: OpenAI, Anthropic and Gemini all stream SSE.
 *
 * <p>Lines end with LF, CR or CRLF, and a CRLF may be split across chunks. Bytes are kept until
 * a line is complete and only then decoded, so a UTF-8 character split across chunks is safe.
 * An event is dispatched on a blank line; data lines are joined with LF; lines starting with
 * ':' are comments; an unfinished event at end of stream is dropped, as the spec says.
 * A line longer than {@code maxLineBytes} is a protocol error: it bounds memory per stream.
 *
 * <p>A real OpenAI stream, as it arrives on the wire:
 * <pre>
 * data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}
 *
 * data: [DONE]
 *
 * </pre>
 * Not thread-safe: one parser per stream, fed by one thread at a time.
 */
public final class SseParser {

    /** One dispatched event; {@code event} is "message" when the stream named none. */
    public record Event(String event, String data, String id) {}

    /** Thrown for a line over the limit; the caller ends the stream as a protocol failure. */
    public static final class LineTooLongException extends RuntimeException {
        LineTooLongException(int limit) {
            super("an event-stream line exceeded " + limit + " bytes", null, false, false);
        }
    }

    private final Consumer<Event> sink;
    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType;
    private String lastId;
    private boolean afterCarriageReturn;
    private boolean firstLine = true;

    public SseParser(int maxLineBytes, Consumer<Event> sink) {
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    public void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                if (afterCarriageReturn) {
                    afterCarriageReturn = false; // the LF of a CRLF whose CR ended the line already
                    continue;
                }
                endLine();
            } else if (b == '\r') {
                endLine();
                afterCarriageReturn = true;
            } else {
                afterCarriageReturn = false;
                if (line.size() >= maxLineBytes) {
                    throw new LineTooLongException(maxLineBytes);
                }
                line.write(b);
            }
        }
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return; // comment, used as keep-alive
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "event" -> eventType = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> { } // "retry" and unknown fields are ignored, per the spec
        }
    }

    private void dispatch() {
        if (!hasData) {
            eventType = null;
            return;
        }
        data.setLength(data.length() - 1); // the spec drops the final LF
        sink.accept(new Event(eventType == null || eventType.isEmpty() ? "message" : eventType, data.toString(), lastId));
        data.setLength(0);
        hasData = false;
        eventType = null;
    }
}
