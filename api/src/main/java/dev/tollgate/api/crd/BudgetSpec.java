package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.math.BigDecimal;
import java.util.List;

/** A spend cap in USD over a period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BudgetSpec {

    @Required
    @Min(0)
    @JsonPropertyDescription("Cap in USD for one period; 0 blocks all paid requests.")
    public BigDecimal amountUsd;

    @Default("monthly")
    @Pattern(Validation.PERIOD)
    @JsonPropertyDescription("daily, weekly (Monday start), monthly (calendar month in timeZone) or a fixed duration such as 12h.")
    public String period = "monthly";

    @Pattern(Validation.TIME_ZONE)
    @JsonPropertyDescription("IANA time zone of calendar periods, e.g. Europe/Berlin; default UTC.")
    public String timeZone;

    @Size(max = 10)
    @ValidationRule(value = "self.all(t, t >= 1 && t <= 100)", message = "alertPercents are percentages between 1 and 100")
    @JsonPropertyDescription("Percent of the cap at which the gateway raises its budget alert metric; default [80, 100].")
    public List<Integer> alertPercents;

    @JsonPropertyDescription("Webhooks the operator POSTs when the key's spend crosses 50, 80 or 100 % (needs spend tracking).")
    public BudgetAlertsSpec alerts;

    public BudgetSpec() {
    }
}
