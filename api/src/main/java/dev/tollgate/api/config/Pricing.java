package dev.tollgate.api.config;

import java.math.BigDecimal;

/**
 * Prices in USD per one million tokens. Exact decimals, never doubles.
 *
 * @param inputPerMillion            prompt tokens neither read from nor written to the provider's cache
 * @param outputPerMillion           completion tokens (reasoning tokens included)
 * @param cachedInputPerMillion      prompt tokens read from the provider's cache; null means the input price
 * @param cacheWriteInputPerMillion  prompt tokens written to the provider's cache (Anthropic, Bedrock); null means the input price
 */
public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion,
                      BigDecimal cacheWriteInputPerMillion) {

    public static final Pricing FREE = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /** Prices without a separate cache-write price. */
    public Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {
        this(inputPerMillion, outputPerMillion, cachedInputPerMillion, null);
    }

    public BigDecimal cachedOrInput() {
        return cachedInputPerMillion != null ? cachedInputPerMillion : inputPerMillion;
    }

    public BigDecimal cacheWriteOrInput() {
        return cacheWriteInputPerMillion != null ? cacheWriteInputPerMillion : inputPerMillion;
    }
}
