package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Team spend this period; conditions Ready, Accepted, BudgetExceeded, AlertsDelivered (with webhooks). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeamBudgetStatus extends BudgetStatus {
    public Integer keys;
}
