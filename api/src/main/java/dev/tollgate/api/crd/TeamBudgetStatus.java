package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Team spend this period; conditions Ready, Accepted, BudgetExceeded, AlertsDelivered (with webhooks). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeamBudgetStatus extends BudgetStatus {
    public Integer keys;
    /** Alerts delivered to spec.alerts.webhooks in the current period, so a restart sends none again. */
    public List<AlertDelivery> alertDeliveries;
}
