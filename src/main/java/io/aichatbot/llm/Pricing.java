package io.aichatbot.llm;

/**
 * A model's price, in US dollars per million tokens, as configured by the operator (prices
 * change; they are never hard-coded here).
 */
public record Pricing(double inputPerMillion, double outputPerMillion) {

    public Pricing {
        if (inputPerMillion < 0 || outputPerMillion < 0) {
            throw new IllegalArgumentException("prices cannot be negative");
        }
    }

    /** Cost in millionths of a dollar (so it adds up exactly in reports), rounded half up. */
    public long costMicros(int inputTokens, int outputTokens) {
        return Math.round(inputTokens * inputPerMillion + outputTokens * outputPerMillion);
    }
}
