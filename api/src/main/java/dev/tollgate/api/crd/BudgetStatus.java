package dev.tollgate.api.crd;

import java.util.ArrayList;
import java.util.List;

/** Spend this period, shared by the statuses of VirtualKey and TeamBudget; written by the operator's spend poller. */
public abstract class BudgetStatus extends TollgateStatus {
    public String spendUsd;
    public String remainingUsd;
    public Integer percentUsed;
    public String resetAt;
    public String lastUsedAt;
    /** Alert thresholds (percent) already announced in the period ending at {@link #resetAt}. */
    public List<Integer> alertedThresholds = new ArrayList<>();
}
