package io.aichatbot.metrics;

import io.aichatbot.chat.Message;
import io.aichatbot.chat.TurnObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Chat turn meters: counts, time to first token, duration, tokens, errors; by model and provider. */
public final class MicrometerTurnObserver implements TurnObserver {

    private final MeterRegistry registry;

    public MicrometerTurnObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void turnStarted(String model, String provider) {
        Counter.builder("chat.turns.started").description("turns sent to a model")
                .tags(Tags.of("model", model, "provider", provider)).register(registry).increment();
    }

    @Override
    public void turnEnded(Outcome outcome) {
        Tags tags = Tags.of("model", outcome.model(), "provider", outcome.provider());
        Message.Status status = outcome.status();
        String errorCode = outcome.errorCode();
        long durationMs = outcome.durationMs();
        Integer firstTokenMs = outcome.firstTokenMs();
        Integer inputTokens = outcome.inputTokens();
        Integer outputTokens = outcome.outputTokens();
        Counter.builder("chat.turns").description("finished turns by outcome")
                .tags(tags.and("status", status.wire(), "error", errorCode == null ? "none" : errorCode))
                .register(registry).increment();
        Timer.builder("chat.turn.duration").description("model call to saved reply").tags(tags)
                .register(registry).record(Duration.ofMillis(durationMs));
        if (firstTokenMs != null) {
            Timer.builder("chat.time.to.first.token").description("model call to first token").tags(tags)
                    .register(registry).record(Duration.ofMillis(firstTokenMs));
        }
        if (inputTokens != null) {
            DistributionSummary.builder("chat.tokens").baseUnit("tokens").tags(tags.and("direction", "in"))
                    .register(registry).record(inputTokens);
        }
        if (outputTokens != null) {
            DistributionSummary.builder("chat.tokens").baseUnit("tokens").tags(tags.and("direction", "out"))
                    .register(registry).record(outputTokens);
        }
    }
}
