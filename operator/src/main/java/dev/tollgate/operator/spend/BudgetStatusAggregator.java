package dev.tollgate.operator.spend;

import dev.tollgate.api.crd.BudgetStatus;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.StatusDiff;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole status of a VirtualKey or TeamBudget, built during one reconcile (Keycloak's status aggregator): the
 * reconciler sets its own fields and conditions on {@link #status()}, {@link #spend} adds what the ledger says, and
 * {@link #publish} emits the Events of newly crossed thresholds and patches the status only when it changed. The
 * reconciler is thus the one writer of the status, spend included.
 */
public final class BudgetStatusAggregator<R extends CustomResource<?, S>, S extends BudgetStatus> {

    /** Condition: whether the spend figures in status come from a ledger read that worked. */
    public static final String LEDGER_REACHABLE = "LedgerReachable";

    private record Crossing(int threshold, String message) {
    }

    private final R resource;
    private final Clock clock;
    private final S status;
    private final List<Crossing> crossings = new ArrayList<>();

    /** Starts from the resource's current status with {@code observedGeneration} set. */
    public BudgetStatusAggregator(R resource, Class<S> type, Clock clock) {
        this.resource = resource;
        this.clock = clock;
        this.status = StatusDiff.copy(resource.getStatus(), type);
        status.observedGeneration = resource.getMetadata().getGeneration();
    }

    public S status() {
        return status;
    }

    /**
     * Spend from the ledger: figures, {@code spendAsOf}, BudgetExceeded and LedgerReachable. With no reading (spend off,
     * no ledger database, key not admitted) the spend part is left as it is; with an unreachable ledger the figures stay
     * those of {@code spendAsOf} and LedgerReachable turns False.
     */
    public void spend(Optional<LedgerSpend> reading, BudgetSubject subject) {
        switch (reading.orElse(null)) {
            case null -> {
            }
            case LedgerSpend.Read read -> read(read, subject);
            case LedgerSpend.Unreachable u -> Conditions.set(status, resource, clock, LEDGER_REACHABLE, false, u.reason(), u.message()
                    + " (since " + u.since() + "; spend figures are " + (status.spendAsOf == null ? "not read yet" : "as of " + status.spendAsOf)
                    + "; retrying with backoff)");
        }
    }

    private void read(LedgerSpend.Read read, BudgetSubject subject) {
        BigDecimal spend = SpendStatus.usd(read.costPico());
        String resetAt = subject.periodEnd(read.periodStart()).toString();
        List<Integer> alerted = new ArrayList<>(status.alertedThresholds == null || !resetAt.equals(status.resetAt) ? List.of() : status.alertedThresholds);
        status.spendUsd = SpendStatus.format(spend);
        status.spendAsOf = read.asOf().toString();
        status.resetAt = resetAt;
        status.lastUsedAt = read.lastUsedAt() == null ? status.lastUsedAt : read.lastUsedAt().toString();
        Conditions.set(status, resource, clock, LEDGER_REACHABLE, true, "LedgerRead", "spend is read from the ledger database of LLMGateway "
                + subject.gatewayRef().namespaceOr(subject.namespace()) + "/" + subject.gatewayRef().name);
        BigDecimal cap = subject.cap();
        if (cap == null) {
            status.remainingUsd = null;
            status.percentUsed = null;
            status.alertedThresholds = alerted;
            return;
        }
        int percent = SpendStatus.percent(spend, cap);
        boolean exceeded = SpendStatus.exceeded(spend, cap);
        status.remainingUsd = SpendStatus.format(cap.subtract(spend).max(BigDecimal.ZERO));
        status.percentUsed = percent;
        Conditions.set(status, resource, clock, Conditions.BUDGET_EXCEEDED, exceeded, exceeded ? "BudgetExceeded" : "WithinBudget",
                "spent $" + SpendStatus.format(spend) + " of $" + cap.toPlainString() + " (" + subject.period() + ", resets " + resetAt + ")");
        for (Integer t : SpendStatus.newlyCrossed(subject.thresholds(), percent, alerted)) {
            alerted.add(t);
            crossings.add(new Crossing(t, subject.kind().kindName() + " " + subject.ledgerName() + " reached " + t + "% of its $" + cap.toPlainString()
                    + " " + subject.period() + " budget (spent $" + SpendStatus.format(spend) + ")"));
        }
        alerted.sort(Integer::compareTo);
        status.alertedThresholds = alerted;
    }

    /** Emits an Event per newly crossed threshold, then answers the status patch (none when nothing changed). */
    public UpdateControl<R> publish(KubernetesClient client) {
        Instant now = Instant.now(clock);
        crossings.forEach(c -> BudgetEvents.thresholdReached(client, resource, c.threshold(), c.message(), now));
        return StatusDiff.patchIfChanged(resource, status);
    }
}
