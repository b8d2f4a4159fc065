package io.aichatbot.chat;

import io.aichatbot.llm.ModelEntry;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.PromptMessage;
import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running turn, driven by the thread that calls {@link #run}. Its user message and the
 * reply placeholder are already committed. {@link #cancel} may come from any thread (stop
 * button, closed tab, shutdown); it closes the upstream call, and {@code run} then saves the
 * partial answer as STOPPED. No lock is held while waiting on the model.
 */
public final class Turn {

    private static final Logger log = LoggerFactory.getLogger(Turn.class);

    private final TurnStart start;
    private final ModelEntry model;
    private final List<PromptMessage> prompt;
    private final ChatStore store;
    private final InstantSource clock;
    private final int maxReplyBytes;
    private final Consumer<Turn> onEnd;
    private final TurnObserver observer;
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private volatile ModelStream stream;

    Turn(TurnStart start, ModelEntry model, List<PromptMessage> prompt, ChatStore store, InstantSource clock,
         int maxReplyBytes, Consumer<Turn> onEnd, TurnObserver observer) {
        this.start = start;
        this.model = model;
        this.prompt = prompt;
        this.store = store;
        this.clock = clock;
        this.maxReplyBytes = maxReplyBytes;
        this.onEnd = onEnd;
        this.observer = observer;
    }

    public TurnStart start() {
        return start;
    }

    public String conversationId() {
        return start.conversation().id();
    }

    /** Asks the turn to end; the first reason wins. Safe from any thread, before or during run. */
    public void cancel(StopReason reason) {
        stopReason.compareAndSet(null, reason);
        ModelStream current = stream;
        if (current != null) {
            current.close();
        }
    }

    /** Calls the model, forwards deltas, commits the reply however it ends. Call once. */
    public TurnResult run(boolean streamUpstream, TurnListener listener) throws InterruptedException {
        long startedNanos = System.nanoTime();
        observer.turnStarted(model.name(), model.provider());
        long firstTokenNanos = -1;
        StringBuilder text = new StringBuilder();
        int textBytes = 0;
        Integer inputTokens = null;
        Integer outputTokens = null;
        ModelFailure failure = null;
        String finishReason = null;
        try {
            stream = model.client().open(new ModelRequest(model.upstreamModel(), prompt, model.maxOutputTokens(), streamUpstream));
            if (stopReason.get() != null) {
                stream.close(); // cancel() raced with open(): make sure the new stream sees it
            }
            while (true) {
                ModelEvent event = stream.next();
                if (event instanceof ModelEvent.Delta delta) {
                    if (firstTokenNanos < 0) {
                        firstTokenNanos = System.nanoTime();
                    }
                    textBytes += TokenEstimator.utf8Length(delta.text());
                    if (textBytes > maxReplyBytes) {
                        cancel(StopReason.REPLY_TOO_LARGE);
                        continue;
                    }
                    text.append(delta.text());
                    try {
                        listener.onDelta(delta.text());
                    } catch (IOException clientGone) {
                        cancel(StopReason.CLIENT_GONE);
                    }
                } else if (event instanceof ModelEvent.Usage usage) {
                    inputTokens = usage.inputTokens();
                    outputTokens = usage.outputTokens();
                } else if (event instanceof ModelEvent.Done done) {
                    finishReason = done.finishReason();
                    break;
                } else if (event instanceof ModelEvent.Failed failed) {
                    failure = failed.failure();
                    break;
                }
            }
        } catch (RuntimeException bug) {
            // A client bug must still end the turn: the reply leaves STREAMING and the lease is freed.
            failure = new ModelFailure(ModelFailure.Kind.PROTOCOL, 0,
                    "model client failed: " + bug.getClass().getSimpleName(), null);
            log.error("model client {} failed", model.name(), bug);
        } catch (InterruptedException e) {
            cancel(StopReason.SHUTDOWN);
            finish(text, inputTokens, outputTokens, startedNanos, firstTokenNanos, null, null);
            throw e;
        } finally {
            ModelStream current = stream;
            if (current != null) {
                current.close();
            }
        }
        return finish(text, inputTokens, outputTokens, startedNanos, firstTokenNanos, failure, finishReason);
    }

    private TurnResult finish(StringBuilder text, Integer inputTokens, Integer outputTokens, long startedNanos,
                              long firstTokenNanos, ModelFailure failure, String finishReason) {
        StopReason reason = stopReason.get();
        Message.Status status;
        String errorCode;
        if (reason != null) {
            // A stop wins over whatever the upstream said after it: the user asked for it first.
            status = Message.Status.STOPPED;
            errorCode = reason.code();
            failure = null;
        } else if (failure != null) {
            status = Message.Status.FAILED;
            errorCode = TurnResult.errorCode(failure);
            // The one place an operator sees why a provider failed: the vendor's message and
            // request id are not stored with the reply (only the stable code is).
            log.warn("turn failed: model={} provider={} code={} kind={} upstreamStatus={} requestId={} message={}",
                    model.name(), model.provider(), errorCode, failure.kind(), failure.httpStatus(),
                    failure.requestId(), failure.message());
        } else {
            status = Message.Status.COMPLETE;
            errorCode = null;
        }
        long now = System.nanoTime();
        Integer firstTokenMs = firstTokenNanos < 0 ? null : (int) ((firstTokenNanos - startedNanos) / 1_000_000);
        long durationMs = (now - startedNanos) / 1_000_000;
        Long cost = model.pricing() == null || inputTokens == null || outputTokens == null ? null
                : model.pricing().costMicros(inputTokens, outputTokens);
        try {
            Message reply = store.finishReply(new FinishedReply(conversationId(), start.reply().id(), text.toString(),
                    status, inputTokens, outputTokens, clock.instant(), firstTokenMs, (int) durationMs, errorCode, cost,
                    status == Message.Status.COMPLETE ? finishReason : null));
            return new TurnResult(reply, failure);
        } finally {
            onEnd.accept(this);
            observer.turnEnded(new TurnObserver.Outcome(start.conversation().userId(), model.name(), model.provider(),
                    status, errorCode, firstTokenMs, durationMs, inputTokens, outputTokens, cost, clock.instant()));
        }
    }
}
