package dev.tollgate.gateway.limits;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A key's or team's recorded spend reached one of its budget's alert thresholds in a period, as this pod saw it.
 * Reported once per threshold and period by a tracker's lifetime (again after a restart: listeners deduplicate).
 *
 * @param scope       {@code key} or {@code team}
 * @param name        key or team name
 * @param threshold   percent of the cap
 * @param spentUsd    recorded spend (written and unflushed, not in flight) when the crossing was seen
 * @param budgetUsd   the cap
 * @param period      the budget's period
 * @param periodStart start of the period
 * @param periodEnd   end of the period
 */
public record BudgetCrossing(String scope, String name, int threshold, BigDecimal spentUsd, BigDecimal budgetUsd, String period,
                             Instant periodStart, Instant periodEnd) {
}
