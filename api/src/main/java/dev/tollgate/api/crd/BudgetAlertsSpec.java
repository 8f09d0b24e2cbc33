package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** Where the operator sends budget threshold alerts of a TeamBudget or a VirtualKey. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BudgetAlertsSpec {

    @Size(max = 10)
    @ValidationRule(value = "self.all(w, self.exists_one(x, x.name == w.name))", message = "webhook names must be unique")
    @JsonPropertyDescription("Webhooks POSTed once per crossed alert threshold and period (at least once; status.alertDeliveries records what was sent).")
    public List<WebhookSpec> webhooks = new ArrayList<>();
}
