package io.aichatbot.llm.routing;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * A model served by ordered tiers of deployments: weighted load balancing inside a tier,
 * fallback to the next tier, retries with exponential backoff and full jitter (honouring
 * Retry-After), a global retry budget, a circuit breaker and a concurrency bound per deployment.
 *
 * <p>The rule that keeps answers whole: a call is retried or moved to another deployment only
 * before the first byte of the answer has been handed to the caller. After that, a failure ends
 * the call and the caller saves the partial text as failed; re-asking would duplicate text.
 * Thread-safe; each {@link #open} returns an independent stream.
 */
public final class RoutedModel implements ChatModel {

    private final String name;
    private final List<List<Deployment>> tiers;
    private final RetryPolicy policy;
    private final RetryBudget budget;
    private final RandomGenerator random;

    public RoutedModel(String name, List<List<Deployment>> tiers, RetryPolicy policy, RetryBudget budget,
                       RandomGenerator random) {
        if (tiers.isEmpty() || tiers.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("model " + name + " needs at least one deployment in every tier");
        }
        this.name = name;
        this.tiers = tiers.stream().map(List::copyOf).toList();
        this.policy = policy;
        this.budget = budget;
        this.random = random;
    }

    @Override
    public String provider() {
        return tiers.getFirst().getFirst().model().provider();
    }

    @Override
    public ModelStream open(ModelRequest request) {
        budget.onRequest();
        return new RoutedStream(request);
    }

    /** A deployment's in-flight slot and breaker permission, given back exactly once. */
    private static final class Lease {
        final Deployment deployment;
        final long startedNanos = System.nanoTime();
        private final AtomicBoolean released = new AtomicBoolean();

        Lease(Deployment deployment) {
            this.deployment = deployment;
        }

        void end(ModelEvent outcome) {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            long elapsed = System.nanoTime() - startedNanos;
            var breaker = deployment.breaker();
            if (outcome instanceof ModelEvent.Failed(ModelFailure failure) && countsAgainstHealth(failure.kind())) {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, new UpstreamFailure(failure));
            } else if (outcome == null || outcome instanceof ModelEvent.Failed(ModelFailure f) && f.kind() == ModelFailure.Kind.CANCELLED) {
                breaker.releasePermission(); // we gave up; the deployment did nothing wrong
            } else {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            }
            deployment.inFlight().release();
        }
    }

    /** Failures that say the deployment is unhealthy; a 400 or a bad key is not its fault. */
    static boolean countsAgainstHealth(ModelFailure.Kind kind) {
        return switch (kind) {
            case CONNECT, TIMEOUT, SERVER_ERROR, PROTOCOL, RATE_LIMITED -> true;
            case AUTH, BAD_REQUEST, CANCELLED, BUSY -> false;
        };
    }

    /** The exception a breaker records; carries no key, only the typed failure. */
    static final class UpstreamFailure extends RuntimeException {
        UpstreamFailure(ModelFailure failure) {
            super(failure.kind() + " " + failure.httpStatus(), null, false, false);
        }
    }

    /**
     * Tries tiers in order; inside a tier, weighted random order among deployments with room.
     * Deployments that just failed this call are passed over as long as any other one (in any
     * tier) has room: that is what makes a retry fall back instead of hammering the same place.
     */
    private Lease tryAcquire(Set<Deployment> avoid) {
        Lease lease = tryAcquire(avoid, false);
        return lease != null || avoid.isEmpty() ? lease : tryAcquire(avoid, true);
    }

    private Lease tryAcquire(Set<Deployment> avoid, boolean includeAvoided) {
        for (List<Deployment> tier : tiers) {
            for (Deployment deployment : weightedOrder(tier)) {
                if (!includeAvoided && avoid.contains(deployment)) {
                    continue;
                }
                if (!deployment.inFlight().tryAcquire()) {
                    continue;
                }
                if (deployment.breaker().tryAcquirePermission()) {
                    return new Lease(deployment);
                }
                deployment.inFlight().release();
            }
        }
        return null;
    }

    private List<Deployment> weightedOrder(List<Deployment> tier) {
        List<Deployment> left = new ArrayList<>(tier);
        List<Deployment> order = new ArrayList<>(tier.size());
        while (!left.isEmpty()) {
            int total = left.stream().mapToInt(Deployment::weight).sum();
            int pick = random.nextInt(total);
            for (int i = 0; i < left.size(); i++) {
                pick -= left.get(i).weight();
                if (pick < 0) {
                    order.add(left.remove(i));
                    break;
                }
            }
        }
        return order;
    }

    Duration backoff(int attempt, Duration retryAfter) {
        long capped = Math.min(policy.backoffMax().toMillis(), policy.backoffBase().toMillis() << Math.min(20, attempt - 1));
        Duration jittered = Duration.ofMillis(capped <= 0 ? 0 : random.nextLong(capped + 1)); // full jitter
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }

    private final class RoutedStream implements ModelStream {
        private final ModelRequest request;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CountDownLatch closedSignal = new CountDownLatch(1);
        private final Set<Deployment> avoid = new HashSet<>();
        private volatile ModelStream current;
        private volatile Lease lease;
        private int attempts;
        private boolean delivered;
        private ModelEvent terminal;

        RoutedStream(ModelRequest request) {
            this.request = request;
        }

        @Override
        public ModelEvent next() throws InterruptedException {
            if (terminal != null) {
                return terminal;
            }
            while (true) {
                if (closed.get()) {
                    return finish(cancelled());
                }
                if (current == null && !startAttempt()) {
                    return finish(closed.get() ? cancelled() : new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.BUSY,
                            "model " + name + " has no deployment with free capacity; try again shortly")));
                }
                ModelEvent event = current.next();
                if (event instanceof ModelEvent.Delta) {
                    delivered = true;
                    return event;
                }
                if (!event.isTerminal()) {
                    return event;
                }
                Deployment used = lease.deployment;
                endAttempt(event);
                if (event instanceof ModelEvent.Done || closed.get()) {
                    return finish(closed.get() ? cancelled() : event);
                }
                ModelFailure failure = ((ModelEvent.Failed) event).failure();
                if (delivered || !failure.retriable() || attempts >= policy.maxAttempts() || !budget.tryRetry()) {
                    return finish(event);
                }
                avoid.add(used);
                Duration wait = backoff(attempts, failure.retryAfter());
                if (failure.retryAfter() != null && failure.retryAfter().compareTo(policy.maxRetryAfter()) > 0) {
                    wait = Duration.ZERO; // too long to wait here: move on to another deployment at once
                }
                if (!wait.isZero() && closedSignal.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    return finish(cancelled());
                }
            }
        }

        /** Waits up to the acquire limit for a deployment with room; false if none (or closed). */
        private boolean startAttempt() throws InterruptedException {
            long deadline = System.nanoTime() + policy.acquireWait().toNanos();
            Lease acquired;
            while ((acquired = tryAcquire(avoid)) == null) {
                if (System.nanoTime() >= deadline || closedSignal.await(20, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
            lease = acquired;
            attempts++;
            Deployment deployment = acquired.deployment;
            current = deployment.model().open(new ModelRequest(deployment.upstreamModel(), request.messages(),
                    request.maxOutputTokens(), request.stream()));
            if (closed.get()) {
                current.close(); // close() raced with open(): make sure the new attempt sees it
            }
            return true;
        }

        private void endAttempt(ModelEvent outcome) {
            Lease ended = lease;
            if (ended != null) {
                ended.end(outcome);
            }
            ModelStream attempt = current;
            current = null;
            if (attempt != null) {
                attempt.close();
            }
        }

        private ModelEvent finish(ModelEvent event) {
            terminal = event;
            return event;
        }

        private ModelEvent cancelled() {
            return new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.CANCELLED, "cancelled"));
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                closedSignal.countDown();
                ModelStream attempt = current;
                if (attempt != null) {
                    attempt.close();
                }
                Lease held = lease;
                if (held != null) {
                    held.end(null); // a no-op if the reading thread already ended it
                }
            }
        }
    }
}
