package io.aichatbot.llm.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.testing.ModelEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Routing: retries before the first byte only, fallback, breakers, budget, Retry-After, capacity. */
class RoutedModelTest {

    static final ModelRequest REQUEST = new ModelRequest("logical", List.of(new PromptMessage(PromptMessage.Role.USER, "hi")), 16, true);
    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(10),
            Duration.ofMillis(100));

    static ModelEvent.Failed failed(ModelFailure.Kind kind) {
        return new ModelEvent.Failed(new ModelFailure(kind, 503, kind.name(), null));
    }

    /** A hand-written fake deployment: call N (0-based) replays script.apply(N); can hang until closed. */
    static final class FakeModel implements ChatModel {
        final AtomicInteger opens = new AtomicInteger();
        final List<String> upstreamModels = new ArrayList<>();
        private final IntFunction<List<ModelEvent>> script;

        FakeModel(IntFunction<List<ModelEvent>> script) {
            this.script = script;
        }

        static FakeModel answering(String text) {
            return new FakeModel(n -> List.of(new ModelEvent.Delta(text), new ModelEvent.Done("stop")));
        }

        static FakeModel failing(ModelFailure.Kind kind) {
            return new FakeModel(n -> List.of(failed(kind)));
        }

        @Override
        public String provider() {
            return "fake";
        }

        @Override
        public synchronized ModelStream open(ModelRequest request) {
            upstreamModels.add(request.upstreamModel());
            List<ModelEvent> events = script.apply(opens.getAndIncrement());
            var closed = new CountDownLatch(1);
            return new ModelStream() {
                int position;

                @Override
                public ModelEvent next() throws InterruptedException {
                    if (closed.getCount() == 0) {
                        return failed(ModelFailure.Kind.CANCELLED);
                    }
                    if (position < events.size()) {
                        return events.get(position++);
                    }
                    closed.await(30, TimeUnit.SECONDS); // script ran out: hang like a stalled provider
                    return failed(ModelFailure.Kind.CANCELLED);
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }
    }

    static Deployment deployment(String name, ChatModel model, int weight, int concurrency, int breakerFailures) {
        var config = CircuitBreakerConfig.custom().slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breakerFailures).minimumNumberOfCalls(breakerFailures).failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofMillis(200)).permittedNumberOfCallsInHalfOpenState(1).build();
        return new Deployment(name, model, "up-" + name, weight, new Semaphore(concurrency), CircuitBreaker.of(name, config));
    }

    static Deployment deployment(String name, ChatModel model) {
        return deployment(name, model, 1, 10, 100);
    }

    static RoutedModel routed(RetryPolicy policy, RetryBudget budget, List<List<Deployment>> tiers) {
        return new RoutedModel("logical", tiers, policy, budget, new Random(42));
    }

    /** Reads the stream to its end and closes it, as a turn does. */
    static List<ModelEvent> drain(ModelStream stream) throws InterruptedException {
        List<ModelEvent> events = ModelEvents.drain(stream);
        stream.close();
        return events;
    }

    @Test
    void aRetriableFailureBeforeTheFirstByteIsRetriedAndTheAnswerArrivesOnce() throws Exception {
        var flaky = new FakeModel(n -> n == 0 ? List.of(failed(ModelFailure.Kind.SERVER_ERROR))
                : List.of(new ModelEvent.Delta("ok"), new ModelEvent.Done("stop")));

        List<ModelEvent> events = drain(routed(FAST, new RetryBudget(0.2, 20), List.of(List.of(deployment("a", flaky)))).open(REQUEST));

        assertThat(events).containsExactly(new ModelEvent.Delta("ok"), new ModelEvent.Done("stop"));
        assertThat(flaky.opens).hasValue(2);
        assertThat(flaky.upstreamModels).containsOnly("up-a");
    }

    @Test
    void aFailingPrimaryFallsBackToTheNextTier() throws Exception {
        var primary = FakeModel.failing(ModelFailure.Kind.CONNECT);
        var fallback = FakeModel.answering("from fallback");

        List<ModelEvent> events = drain(routed(FAST, new RetryBudget(0.2, 20),
                List.of(List.of(deployment("a", primary)), List.of(deployment("b", fallback)))).open(REQUEST));

        assertThat(events.getFirst()).isEqualTo(new ModelEvent.Delta("from fallback"));
        assertThat(primary.opens).hasValue(1);
        assertThat(fallback.opens).hasValue(1);
    }

    @Test
    void afterTheFirstByteAFailureEndsTheCallWithoutRetryOrFallback() throws Exception {
        var cut = new FakeModel(n -> List.of(new ModelEvent.Delta("half"), failed(ModelFailure.Kind.PROTOCOL)));
        var fallback = FakeModel.answering("never");

        List<ModelEvent> events = drain(routed(FAST, new RetryBudget(0.2, 20),
                List.of(List.of(deployment("a", cut)), List.of(deployment("b", fallback)))).open(REQUEST));

        assertThat(events).containsExactly(new ModelEvent.Delta("half"), failed(ModelFailure.Kind.PROTOCOL));
        assertThat(fallback.opens).hasValue(0);
    }

    @Test
    void aNonRetriableFailureIsNotRetried() throws Exception {
        var rejecting = FakeModel.failing(ModelFailure.Kind.BAD_REQUEST);
        var fallback = FakeModel.answering("never");

        List<ModelEvent> events = drain(routed(FAST, new RetryBudget(0.2, 20),
                List.of(List.of(deployment("a", rejecting)), List.of(deployment("b", fallback)))).open(REQUEST));

        assertThat(((ModelEvent.Failed) events.getLast()).failure().kind()).isEqualTo(ModelFailure.Kind.BAD_REQUEST);
        assertThat(rejecting.opens).hasValue(1);
        assertThat(fallback.opens).hasValue(0);
    }

    @Test
    void attemptsPerRequestAreCapped() throws Exception {
        var down = FakeModel.failing(ModelFailure.Kind.SERVER_ERROR);

        List<ModelEvent> events = drain(routed(FAST, new RetryBudget(0.2, 20), List.of(List.of(deployment("a", down)))).open(REQUEST));

        assertThat(((ModelEvent.Failed) events.getLast()).failure().kind()).isEqualTo(ModelFailure.Kind.SERVER_ERROR);
        assertThat(down.opens).hasValue(3);
    }

    @Test
    void aBreakerOpensAfterConsecutiveFailuresSkipsTheDeploymentAndLaterLetsOneProbeThrough() throws Exception {
        var down = FakeModel.failing(ModelFailure.Kind.TIMEOUT);
        var backup = FakeModel.answering("backup");
        var noRetry = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMillis(50));
        var model = routed(noRetry, new RetryBudget(0.2, 20),
                List.of(List.of(deployment("a", down, 1, 10, 3)), List.of(deployment("b", backup))));

        for (int i = 0; i < 3; i++) {
            drain(model.open(REQUEST)); // three timeouts on a: its breaker opens
        }
        for (int i = 0; i < 5; i++) {
            assertThat(drain(model.open(REQUEST)).getFirst()).isEqualTo(new ModelEvent.Delta("backup"));
        }
        assertThat(down.opens).hasValue(3);
        Thread.sleep(250); // the breaker's open period
        drain(model.open(REQUEST));
        assertThat(down.opens).hasValue(4); // one half-open probe
    }

    @Test
    void theGlobalRetryBudgetStopsRetriesFromSnowballing() throws Exception {
        var down = FakeModel.failing(ModelFailure.Kind.SERVER_ERROR);
        var model = routed(FAST, new RetryBudget(0.0, 2), List.of(List.of(deployment("a", down))));

        for (int i = 0; i < 5; i++) {
            drain(model.open(REQUEST));
        }

        assertThat(down.opens).hasValue(5 + 2); // five first attempts, and only the two retries the budget held
    }

    @Test
    void retryAfterFromTheProviderIsHonoured() throws Exception {
        var limited = new FakeModel(n -> n == 0
                ? List.of(new ModelEvent.Failed(new ModelFailure(ModelFailure.Kind.RATE_LIMITED, 429, "slow down", null, Duration.ofMillis(300))))
                : List.of(new ModelEvent.Delta("ok"), new ModelEvent.Done("stop")));
        long started = System.nanoTime();

        List<ModelEvent> events = drain(routed(FAST, new RetryBudget(0.2, 20), List.of(List.of(deployment("a", limited)))).open(REQUEST));

        assertThat(events.getFirst()).isEqualTo(new ModelEvent.Delta("ok"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void pastTheConcurrencyBoundACallWaitsBrieflyThenFailsBusyAndPermitsComeBack() throws Exception {
        var slow = new FakeModel(n -> List.of(new ModelEvent.Delta("working")));
        Deployment only = deployment("a", slow, 1, 1, 100);
        var model = routed(FAST, new RetryBudget(0.2, 20), List.of(List.of(only)));
        ModelStream first = model.open(REQUEST);
        assertThat(first.next()).isEqualTo(new ModelEvent.Delta("working"));

        List<ModelEvent> second = drain(model.open(REQUEST));

        assertThat(((ModelEvent.Failed) second.getLast()).failure().kind()).isEqualTo(ModelFailure.Kind.BUSY);
        first.close();
        assertThat(only.inFlight().availablePermits()).isEqualTo(1);
    }

    @Test
    void closingDuringABackoffReturnsCancelledPromptly() throws Exception {
        var limited = FakeModel.failing(ModelFailure.Kind.RATE_LIMITED);
        var waitLong = new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(100));
        ModelStream stream = routed(waitLong, new RetryBudget(0.2, 20), List.of(List.of(deployment("a", limited)))).open(REQUEST);
        CompletableFuture<ModelEvent> next = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        long closedAt = System.nanoTime();

        stream.close();

        ModelEvent event = next.get(2, TimeUnit.SECONDS);
        assertThat(((ModelEvent.Failed) event).failure().kind()).isEqualTo(ModelFailure.Kind.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void weightsShareTheLoadOfATier() throws Exception {
        var heavy = FakeModel.answering("h");
        var light = FakeModel.answering("l");
        var model = routed(FAST, new RetryBudget(0.2, 20),
                List.of(List.of(deployment("heavy", heavy, 3, 10, 100), deployment("light", light, 1, 10, 100))));

        for (int i = 0; i < 400; i++) {
            drain(model.open(REQUEST));
        }

        assertThat(heavy.opens.get()).isBetween(250, 350);
        assertThat(light.opens.get()).isEqualTo(400 - heavy.opens.get());
    }

    @Test
    void manyConcurrentCallsReturnEveryPermit() throws Exception {
        var fine = FakeModel.answering("x");
        Deployment only = deployment("a", fine, 1, 8, 100);
        var model = routed(FAST, new RetryBudget(0.2, 20), List.of(List.of(only)));
        var errors = new ConcurrentLinkedQueue<Throwable>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                executor.submit(() -> {
                    try {
                        drain(model.open(REQUEST));
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                });
            }
        }
        assertThat(errors).isEmpty();
        assertThat(only.inFlight().availablePermits()).isEqualTo(8);
    }
}
