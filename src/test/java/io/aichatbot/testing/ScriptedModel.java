package io.aichatbot.testing;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written fake model: replays a fixed list of events, optionally blocking before the
 * last one until closed, and records every request it was sent.
 */
public final class ScriptedModel implements ChatModel {

    private final List<ModelEvent> script;
    private final boolean hangAtEnd;
    public final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

    private ScriptedModel(List<ModelEvent> script, boolean hangAtEnd) {
        this.script = script;
        this.hangAtEnd = hangAtEnd;
    }

    public static ScriptedModel answering(String... deltas) {
        var events = new java.util.ArrayList<ModelEvent>();
        for (String delta : deltas) {
            events.add(new ModelEvent.Delta(delta));
        }
        events.add(new ModelEvent.Usage(11, deltas.length));
        events.add(new ModelEvent.Done("stop"));
        return new ScriptedModel(events, false);
    }

    public static ScriptedModel failingAfter(ModelFailure failure, String... deltas) {
        var events = new java.util.ArrayList<ModelEvent>();
        for (String delta : deltas) {
            events.add(new ModelEvent.Delta(delta));
        }
        events.add(new ModelEvent.Failed(failure));
        return new ScriptedModel(events, false);
    }

    /** Sends the deltas, then waits until the stream is closed. */
    public static ScriptedModel hangingAfter(String... deltas) {
        var events = new java.util.ArrayList<ModelEvent>();
        for (String delta : deltas) {
            events.add(new ModelEvent.Delta(delta));
        }
        return new ScriptedModel(events, true);
    }

    @Override
    public String provider() {
        return "scripted";
    }

    @Override
    public ModelStream open(ModelRequest request) {
        requests.add(request);
        var closed = new CountDownLatch(1);
        return new ModelStream() {
            int position;

            @Override
            public ModelEvent next() throws InterruptedException {
                if (closed.getCount() == 0) {
                    return new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.CANCELLED, "closed"));
                }
                if (position < script.size()) {
                    return script.get(position++);
                }
                if (hangAtEnd) {
                    closed.await(30, TimeUnit.SECONDS);
                    return new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.CANCELLED, "closed"));
                }
                return script.getLast();
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
    }
}
