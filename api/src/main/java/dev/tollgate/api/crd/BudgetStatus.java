package dev.tollgate.api.crd;

import java.util.ArrayList;
import java.util.List;

/**
 * Spend this period, shared by the statuses of VirtualKey and TeamBudget; written by their reconcilers from what the
 * operator reads in the gateway's ledger database.
 */
public abstract class BudgetStatus extends TollgateStatus {
    public String spendUsd;
    /**
     * When the ledger read that gave {@link #spendUsd} happened. While spend does not change it moves forward every few
     * minutes; while the ledger is unreachable (condition {@code LedgerReachable=False}) it stays at the last good read.
     */
    public String spendAsOf;
    public String remainingUsd;
    public Integer percentUsed;
    public String resetAt;
    public String lastUsedAt;
    /** Alert thresholds (percent) already announced in the period ending at {@link #resetAt}. */
    public List<Integer> alertedThresholds = new ArrayList<>();
    /** Alerts delivered to the resource's alert webhooks in the current period, so a restarted operator sends none again. */
    public List<AlertDelivery> alertDeliveries;
}
