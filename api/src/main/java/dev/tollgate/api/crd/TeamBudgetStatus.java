package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/** Team spend this period; conditions Ready, Accepted, BudgetExceeded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeamBudgetStatus extends TollgateStatus {
    public String spendUsd;
    public String remainingUsd;
    public Integer percentUsed;
    public String resetAt;
    public String lastUsedAt;
    public Integer keys;
    public List<Integer> alertedThresholds = new ArrayList<>();
}
