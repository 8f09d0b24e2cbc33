package dev.tollgate.gateway.budgets;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One configured budget in its current period, as the ledger records it.
 *
 * @param scope      {@code key} or {@code team}
 * @param name       the key's or team's name
 * @param limitUsd   the cap
 * @param usedUsd    spend recorded in the ledger database this period (every pod's flushed rows; requests in flight
 *                   and rows not yet flushed are not in it)
 * @param period     {@code daily}, {@code weekly}, {@code monthly} or a fixed duration
 * @param timeZone   the zone calendar periods are counted in
 * @param periodStart start of the current period
 * @param resetAt    end of the current period, when {@code usedUsd} starts again from zero
 */
public record BudgetStatus(String scope, String name, BigDecimal limitUsd, BigDecimal usedUsd, String period, String timeZone,
                           Instant periodStart, Instant resetAt) {

    /** What is left of the cap, never below zero. */
    public BigDecimal remainingUsd() {
        return limitUsd.subtract(usedUsd).max(BigDecimal.ZERO);
    }

    /** Used share of the cap, 0 to 1 or above when overspent; 1 for a zero cap. */
    public double usedShare() {
        return limitUsd.signum() == 0 ? 1.0 : usedUsd.doubleValue() / limitUsd.doubleValue();
    }
}
