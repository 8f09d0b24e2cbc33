package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import java.math.BigDecimal;

/** A spend cap in USD over a period. */
public class BudgetSpec {

    @Required
    @Min(0)
    @JsonPropertyDescription("Cap in USD for one period; 0 blocks all paid requests.")
    public BigDecimal amountUsd;

    @Default("monthly")
    @Pattern(Validation.PERIOD)
    @JsonPropertyDescription("daily, weekly (Monday start), monthly (calendar, UTC) or a fixed duration such as 12h.")
    public String period = "monthly";

    public BudgetSpec() {
    }

    public BudgetSpec(BigDecimal amountUsd, String period) {
        this.amountUsd = amountUsd;
        this.period = period;
    }
}
