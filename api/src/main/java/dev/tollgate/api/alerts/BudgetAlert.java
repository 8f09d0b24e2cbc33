package dev.tollgate.api.alerts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * A key's or team's spend crossed an alert threshold of its budget in a period: what a webhook is told, by the
 * standalone gateway and by the operator alike.
 *
 * @param source      {@code gateway} or {@code operator}
 * @param scope       {@code key} or {@code team}
 * @param namespace   namespace of the VirtualKey or TeamBudget (operator), null for a standalone gateway
 * @param name        key or team name
 * @param threshold   the percent crossed
 * @param spentUsd    spend of the period when the crossing was seen
 * @param budgetUsd   the cap
 * @param period      the budget period ({@code daily}, {@code monthly}, {@code 12h}, ...)
 * @param periodStart start of the period the crossing belongs to
 * @param periodEnd   when the period ends and spend starts again from zero
 * @param firedAt     when the crossing was seen
 */
public record BudgetAlert(String source, String scope, String namespace, String name, int threshold, BigDecimal spentUsd,
                          BigDecimal budgetUsd, String period, Instant periodStart, Instant periodEnd, Instant firedAt) {

    /**
     * Idempotency id, equal for every sender that sees the same crossing: {@code scope:[namespace/]name:threshold:periodStart}.
     * Sent as header {@code Idempotency-Key} and in the JSON body; a receiver may drop a second delivery with the same id.
     */
    public String id() {
        return scope + ":" + (namespace == null ? "" : namespace + "/") + name + ":" + threshold + ":" + periodStart;
    }

    /** Spend in whole percent of the budget (floor), or the threshold when the budget is zero. */
    public int percentUsed() {
        if (budgetUsd.signum() <= 0) {
            return threshold;
        }
        return spentUsd.multiply(BigDecimal.valueOf(100)).divide(budgetUsd, 0, RoundingMode.FLOOR).intValue();
    }
}
