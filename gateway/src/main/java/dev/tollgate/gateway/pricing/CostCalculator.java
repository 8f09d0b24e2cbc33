package dev.tollgate.gateway.pricing;

import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;

/**
 * Exact cost of a call: uncached prompt tokens at the input price, cached prompt tokens at the cached price,
 * prompt tokens written to the cache at the cache-write price, reasoning tokens at the reasoning price (the output
 * price unless the model prices them apart), the other completion tokens at the output price. Prices are per million
 * tokens; a prompt longer than the model's long-context threshold takes the long-context prices for the whole call.
 */
public final class CostCalculator {

    private CostCalculator() {
    }

    public static BigDecimal cost(Usage usage, Pricing pricing) {
        if (pricing == null || usage == null) {
            return BigDecimal.ZERO;
        }
        Pricing p = pricing.forPrompt(usage.promptTokens());
        long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
        long written = Math.min(usage.cacheWriteTokens(), usage.promptTokens() - cached);
        long uncached = usage.promptTokens() - cached - written;
        long reasoning = Math.min(usage.reasoningTokens(), usage.completionTokens());
        BigDecimal perMillion = p.inputPerMillion().multiply(BigDecimal.valueOf(uncached))
                .add(p.cachedOrInput().multiply(BigDecimal.valueOf(cached)))
                .add(p.cacheWriteOrInput().multiply(BigDecimal.valueOf(written)))
                .add(p.outputPerMillion().multiply(BigDecimal.valueOf(usage.completionTokens() - reasoning)))
                .add(p.reasoningOrOutput().multiply(BigDecimal.valueOf(reasoning)));
        // dividing by 10^6 is a shift of the decimal point: exact, and far cheaper than divide()
        return perMillion.movePointLeft(6).stripTrailingZeros();
    }
}
