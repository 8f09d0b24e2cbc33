package dev.tollgate.gateway.pricing;

import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;

/**
 * Exact cost of a call: uncached prompt tokens at the input price, cached prompt tokens at the cached price,
 * prompt tokens written to the cache at the cache-write price, completion tokens (reasoning included) at the output
 * price. Prices are per million tokens.
 */
public final class CostCalculator {

    private CostCalculator() {
    }

    public static BigDecimal cost(Usage usage, Pricing pricing) {
        if (pricing == null || usage == null) {
            return BigDecimal.ZERO;
        }
        long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
        long written = Math.min(usage.cacheWriteTokens(), usage.promptTokens() - cached);
        long uncached = usage.promptTokens() - cached - written;
        BigDecimal perMillion = pricing.inputPerMillion().multiply(BigDecimal.valueOf(uncached))
                .add(pricing.cachedOrInput().multiply(BigDecimal.valueOf(cached)))
                .add(pricing.cacheWriteOrInput().multiply(BigDecimal.valueOf(written)))
                .add(pricing.outputPerMillion().multiply(BigDecimal.valueOf(usage.completionTokens())));
        // dividing by 10^6 is a shift of the decimal point: exact, and far cheaper than divide()
        return perMillion.movePointLeft(6).stripTrailingZeros();
    }
}
