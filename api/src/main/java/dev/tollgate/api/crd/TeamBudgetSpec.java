package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Team budget, alert thresholds and team-wide limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeamBudgetSpec {

    @Required
    public GatewayRef gatewayRef;

    @Required
    @Min(0)
    @JsonPropertyDescription("Cap in USD for one period.")
    public BigDecimal amountUsd;

    @Default("monthly")
    @Pattern(Validation.PERIOD)
    @JsonPropertyDescription("daily, weekly (Monday start), monthly (calendar month in timeZone) or a fixed duration such as 12h.")
    public String period = "monthly";

    @Pattern(Validation.TIME_ZONE)
    @JsonPropertyDescription("IANA time zone of calendar periods, e.g. Europe/Berlin; default UTC.")
    public String timeZone;

    @Size(max = 10)
    @Default("[50, 80, 100]")
    @ValidationRule(value = "self.all(t, t >= 1 && t <= 1000)", message = "thresholds are percentages between 1 and 1000")
    @JsonPropertyDescription("Percent of the budget at which a Kubernetes Event is emitted, once per period; those up to 100 also drive the gateway's budget alert metric.")
    public List<Integer> alertThresholds = new ArrayList<>(List.of(50, 80, 100));

    @JsonPropertyDescription("Team-wide rate limits (rpm, tpm).")
    public LimitsSpec limits;

    @JsonPropertyDescription("Which VirtualKeys of this namespace count towards the team; absent means all of them.")
    public LabelSelector keySelector;

    @JsonPropertyDescription("Webhooks the operator POSTs when the team's spend crosses an alert threshold (needs spend tracking).")
    public BudgetAlertsSpec alerts;
}
