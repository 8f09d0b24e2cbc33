package dev.tollgate.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A team's budget and team-wide limits; the VirtualKeys of its namespace count towards it by default. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@ShortNames({"tbudget", "tb"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = Crds.READY_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Spend", jsonPath = ".status.spendUsd", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Budget", jsonPath = ".spec.amountUsd", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Period", jsonPath = ".spec.period", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Used", jsonPath = ".status.percentUsed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TeamBudget extends CustomResource<TeamBudgetSpec, TeamBudgetStatus> implements Namespaced {
}
