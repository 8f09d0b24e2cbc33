package dev.tollgate.api.config;

import java.math.BigDecimal;

/**
 * Prices in USD per one million tokens. Exact decimals, never doubles.
 *
 * @param inputPerMillion            prompt tokens neither read from nor written to the provider's cache
 * @param outputPerMillion           completion tokens (reasoning tokens included unless {@code reasoningPerMillion} is set)
 * @param cachedInputPerMillion      prompt tokens read from the provider's cache; null means the input price
 * @param cacheWriteInputPerMillion  prompt tokens written to the provider's cache (Anthropic, Bedrock); null means the input price
 * @param reasoningPerMillion        reasoning tokens, where the provider prices them apart; null means the output price
 * @param longContext                the prices of a whole call whose prompt is longer than a threshold; null for none
 */
public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion,
                      BigDecimal cacheWriteInputPerMillion, BigDecimal reasoningPerMillion, LongContext longContext) {

    /** Zero for everything: a self-hosted model declared {@code free: true}. */
    public static final Pricing FREE = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /**
     * Prices that replace the whole of {@code pricing} when a call's prompt has more than {@code aboveInputTokens}
     * tokens (Gemini 2.5 Pro and Claude Sonnet 4.5 above 200k, for example).
     */
    public record LongContext(long aboveInputTokens, Pricing pricing) {
    }

    /** Prices without a separate reasoning price or long-context tier. */
    public Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion,
                   BigDecimal cacheWriteInputPerMillion) {
        this(inputPerMillion, outputPerMillion, cachedInputPerMillion, cacheWriteInputPerMillion, null, null);
    }

    public BigDecimal cachedOrInput() {
        return cachedInputPerMillion != null ? cachedInputPerMillion : inputPerMillion;
    }

    public BigDecimal cacheWriteOrInput() {
        return cacheWriteInputPerMillion != null ? cacheWriteInputPerMillion : inputPerMillion;
    }

    public BigDecimal reasoningOrOutput() {
        return reasoningPerMillion != null ? reasoningPerMillion : outputPerMillion;
    }

    /** The prices that apply to a call with this many prompt tokens. */
    public Pricing forPrompt(long promptTokens) {
        return longContext != null && promptTokens > longContext.aboveInputTokens() ? longContext.pricing() : this;
    }
}
