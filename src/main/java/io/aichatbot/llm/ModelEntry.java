package io.aichatbot.llm;

import java.util.Objects;

/**
 * A model users can pick by {@code name}, with the limits the prompt builder needs.
 *
 * @param contextWindow   tokens the model accepts, prompt and answer together
 * @param maxOutputTokens tokens reserved for (and asked of) the answer
 * @param listed          false for a deployment that only serves other models' routes
 * @param pricing         null when the operator configured no price
 */
public record ModelEntry(String name, String upstreamModel, ChatModel client, int contextWindow, int maxOutputTokens,
                         boolean listed, Pricing pricing) {

    public ModelEntry(String name, String upstreamModel, ChatModel client, int contextWindow, int maxOutputTokens) {
        this(name, upstreamModel, client, contextWindow, maxOutputTokens, true, null);
    }

    public ModelEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        Objects.requireNonNull(client, "client");
        if (maxOutputTokens < 1 || contextWindow <= maxOutputTokens) {
            throw new IllegalArgumentException("model " + name + ": context window must exceed max output tokens");
        }
    }

    public String provider() {
        return client.provider();
    }
}
