package io.aichatbot.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    static List<SseParser.Event> parse(String wire, int... splits) {
        List<SseParser.Event> events = new ArrayList<>();
        var parser = new SseParser(1024, events::add);
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int split : splits) {
            parser.feed(ByteBuffer.wrap(bytes, from, split - from));
            from = split;
        }
        parser.feed(ByteBuffer.wrap(bytes, from, bytes.length - from));
        return events;
    }

    @Test
    void eventsSplitAtEveryBytePositionParseTheSame() {
        String wire = "event: delta\r\ndata: {\"text\":\"héllo 你好\"}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\r\rdata: [DONE]\n\n";
        List<SseParser.Event> whole = parse(wire);
        assertThat(whole).containsExactly(
                new SseParser.Event("delta", "{\"text\":\"héllo 你好\"}", null),
                new SseParser.Event("message", "line one\nline two", null),
                new SseParser.Event("message", "[DONE]", null));
        int length = wire.getBytes(StandardCharsets.UTF_8).length;
        for (int split = 1; split < length; split++) {
            assertThat(parse(wire, split)).as("split at " + split).isEqualTo(whole);
        }
    }

    @Test
    void commentsAndFieldsWithoutDataDispatchNothing() {
        assertThat(parse(": ping\n\nevent: lonely\n\nretry: 1000\n\n")).isEmpty();
    }

    @Test
    void anUnfinishedEventAtTheEndIsNotDispatched() {
        assertThat(parse("data: complete\n\ndata: cut in the mid")).containsExactly(new SseParser.Event("message", "complete", null));
    }

    @Test
    void theIdFieldAndALeadingByteOrderMarkAreHandled() {
        assertThat(parse("\uFEFFid: 7\ndata:no space\n\n")).containsExactly(new SseParser.Event("message", "no space", "7"));
    }

    @Test
    void aLineOverTheLimitIsAProtocolError() {
        var parser = new SseParser(16, event -> {});
        assertThatThrownBy(() -> parser.feed(ByteBuffer.wrap("data: 0123456789abcdef\n\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SseParser.LineTooLongException.class);
    }
}
