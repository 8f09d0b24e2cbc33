package dev.tollgate.api.config;

import java.math.BigDecimal;

/**
 * Prices in USD per one million tokens. Exact decimals, never doubles.
 *
 * @param inputPerMillion        prompt tokens not served from cache
 * @param outputPerMillion       completion tokens (reasoning tokens included)
 * @param cachedInputPerMillion  prompt tokens read from the provider's cache; null means the input price
 */
public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {

    public static final Pricing FREE = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    public BigDecimal cachedOrInput() {
        return cachedInputPerMillion != null ? cachedInputPerMillion : inputPerMillion;
    }
}
