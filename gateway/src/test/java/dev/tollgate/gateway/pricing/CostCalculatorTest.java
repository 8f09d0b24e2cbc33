package dev.tollgate.gateway.pricing;

import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Exact costs, to the picodollar, for each kind of token and for the long-context tier. */
class CostCalculatorTest {

    private static final Pricing SONNET = new Pricing(dec("3"), dec("15"), dec("0.3"), dec("3.75"), null,
            new Pricing.LongContext(200_000, new Pricing(dec("6"), dec("22.5"), dec("0.6"), dec("7.5"))));

    @Test
    void eachKindOfPromptTokenHasItsOwnPrice() {
        // 1,000 prompt tokens: 300 read from the cache, 200 written to it, 500 plain; 400 completion tokens
        Usage usage = new Usage(1_000, 400, 300, 0, false, 200);

        // (500 × 3 + 300 × 0.3 + 200 × 3.75 + 400 × 15) / 10^6 = (1500 + 90 + 750 + 6000) / 10^6
        assertThat(CostCalculator.cost(usage, SONNET)).isEqualByComparingTo("0.00834");
    }

    @Test
    void aPromptAboveTheThresholdIsPricedWhollyAtTheLongContextPrices() {
        Usage atThreshold = new Usage(200_000, 1_000, 0, 0, false);
        Usage above = new Usage(200_001, 1_000, 0, 0, false);

        assertThat(CostCalculator.cost(atThreshold, SONNET)).isEqualByComparingTo("0.615");   // 200,000 × 3 + 1,000 × 15
        assertThat(CostCalculator.cost(above, SONNET)).isEqualByComparingTo("1.222506");      // 200,001 × 6 + 1,000 × 22.5
    }

    @Test
    void reasoningTokensTakeTheirOwnPriceWhereTheModelHasOne() {
        Pricing deepResearch = new Pricing(dec("2"), dec("8"), null, null, dec("3"), null);
        Usage usage = new Usage(100, 1_000, 0, 700, false);

        // 100 × 2 + 300 × 8 + 700 × 3 = 200 + 2400 + 2100
        assertThat(CostCalculator.cost(usage, deepResearch)).isEqualByComparingTo("0.0047");
        // without a reasoning price, reasoning tokens are output tokens: 100 × 2 + 1000 × 8
        assertThat(CostCalculator.cost(usage, new Pricing(dec("2"), dec("8"), null, null))).isEqualByComparingTo("0.0082");
    }

    @Test
    void oneTokenAtTheSmallestCataloguedPriceIsStillExact() {
        // Bedrock nova-micro's cached price, 0.00875 per million: one token costs 8.75 picodollars, kept exactly
        Pricing p = new Pricing(dec("0.035"), dec("0.14"), dec("0.00875"), null);
        assertThat(CostCalculator.cost(new Usage(1, 0, 1, 0, false), p)).isEqualTo(dec("8.75E-9"));
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }
}
