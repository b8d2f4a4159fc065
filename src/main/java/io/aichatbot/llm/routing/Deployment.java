package io.aichatbot.llm.routing;

import io.aichatbot.llm.ChatModel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.Semaphore;

/**
 * One place a model can be served from (a provider, base URL and key), with its own breaker and
 * its own bound on in-flight calls, so a slow or failing deployment cannot take the others down.
 *
 * @param weight share of traffic among the deployments of one tier
 */
public record Deployment(String name, ChatModel model, String upstreamModel, int weight, Semaphore inFlight,
                         CircuitBreaker breaker) {

    public Deployment {
        if (weight < 1) {
            throw new IllegalArgumentException("deployment " + name + ": weight must be at least 1");
        }
    }
}
