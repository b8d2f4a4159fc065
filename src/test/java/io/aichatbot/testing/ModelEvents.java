package io.aichatbot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelStream;
import java.util.ArrayList;
import java.util.List;

/** Reading a {@link ModelStream} to its end in tests, and what the events say. */
public final class ModelEvents {

    private ModelEvents() {}

    /** Every event up to and including the terminal one. */
    public static List<ModelEvent> drain(ModelStream stream) throws InterruptedException {
        List<ModelEvent> events = new ArrayList<>();
        ModelEvent event;
        do {
            event = stream.next();
            events.add(event);
        } while (!event.isTerminal());
        return events;
    }

    /** The answer's text: the deltas joined. */
    public static String text(List<ModelEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e instanceof ModelEvent.Delta).forEach(e -> text.append(((ModelEvent.Delta) e).text()));
        return text.toString();
    }

    /** The failure the events end with (asserts that they end with one). */
    public static ModelFailure failure(List<ModelEvent> events) {
        assertThat(events.getLast()).isInstanceOf(ModelEvent.Failed.class);
        return ((ModelEvent.Failed) events.getLast()).failure();
    }
}
