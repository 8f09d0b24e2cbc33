package dev.tollgate.operator.team;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.TeamBudgetStatus;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.alerts.BudgetAlerts;
import dev.tollgate.operator.cluster.BudgetZones;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.GatewayLookup;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.spend.BudgetStatusAggregator;
import dev.tollgate.operator.spend.BudgetSubject;
import dev.tollgate.operator.spend.LedgerSpend;
import dev.tollgate.operator.spend.SpendTracking;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * TeamBudget → status Accepted, Ready, the number of keys counting towards it and (with spend tracking on) the team's
 * spend and its alert webhooks ({@link BudgetAlerts}); the gateway renders the team.
 */
@ControllerConfiguration(name = "teambudget")
public class TeamBudgetReconciler implements Reconciler<TeamBudget> {

    private final Clock clock;
    private final SpendTracking spend;
    private final BudgetAlerts alerts;
    private InformerEventSource<VirtualKey, TeamBudget> keys;

    /** @param spend spend tracking, or null for none */
    public TeamBudgetReconciler(Clock clock, SpendTracking spend) {
        this.clock = clock;
        this.spend = spend;
        this.alerts = spend == null ? null : BudgetAlerts.create(clock, spend.interval());
    }

    @Override
    public UpdateControl<TeamBudget> reconcile(TeamBudget tb, Context<TeamBudget> context) {
        KubernetesClient client = context.getClient();
        BudgetStatusAggregator<TeamBudget, TeamBudgetStatus> aggregator = new BudgetStatusAggregator<>(tb, TeamBudgetStatus.class, clock);
        TeamBudgetStatus status = aggregator.status();
        Optional<LLMGateway> gw = GatewayLookup.find(context, tb.getSpec().gatewayRef, tb);
        String reason;
        String message;
        boolean accepted = false;
        if (gw.isEmpty()) {
            reason = "GatewayNotFound";
            message = "LLMGateway " + tb.getSpec().gatewayRef.namespaceOr(tb.getMetadata().getNamespace()) + "/" + tb.getSpec().gatewayRef.name + " does not exist";
        } else if (!GatewayLookup.admits(client, gw.get(), tb.getMetadata().getNamespace())) {
            reason = "NotAllowedByGateway";
            message = "LLMGateway " + gw.get().getMetadata().getName() + " does not admit namespace " + tb.getMetadata().getNamespace();
        } else if (!BudgetZones.valid(tb.getSpec().timeZone)) {
            reason = "InvalidTimeZone";
            message = "spec.timeZone '" + tb.getSpec().timeZone + "' is not a known time zone: the team and its keys are left out of the gateway";
        } else {
            accepted = true;
            reason = "Accepted";
            message = "budget applies at LLMGateway " + gw.get().getMetadata().getName();
        }
        status.keys = accepted ? (int) keys.list(tb.getMetadata().getNamespace(),
                vk -> vk.getSpec() != null && GatewayLookup.refersTo(vk.getSpec().gatewayRef, vk, gw.get())
                        && GatewayLookup.matches(tb.getSpec().keySelector, vk.getMetadata().getLabels())).count() : 0;
        Conditions.set(status, tb, clock, Conditions.ACCEPTED, accepted, reason, message);
        Conditions.set(status, tb, clock, Conditions.READY, accepted, reason, message);
        BudgetSubject subject = BudgetSubject.of(tb);
        aggregator.spend(spend == null ? Optional.empty() : context.getSecondaryResource(LedgerSpend.class), subject);
        Optional<Duration> retry = alerts == null ? Optional.empty() : alerts.deliver(tb, tb.getSpec().alerts, status, subject,
                ReferencedSecrets.of(context));
        UpdateControl<TeamBudget> control = aggregator.publish(client);
        return retry.map(d -> control.rescheduleAfter(d)).orElse(control);
    }

    @Override
    public List<EventSource<?, TeamBudget>> prepareEventSources(EventSourceContext<TeamBudget> context) {
        keys = new InformerEventSource<>(InformerEventSourceConfiguration.from(VirtualKey.class, TeamBudget.class)
                .withOnUpdateFilter((n, o) -> !n.getMetadata().getGeneration().equals(o.getMetadata().getGeneration())
                        || !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper((VirtualKey k) -> context.getPrimaryCache().list(k.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        var gateways = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMGateway.class, TeamBudget.class)
                .withSecondaryToPrimaryMapper((LLMGateway g) -> context.getPrimaryCache()
                        .list(t -> t.getSpec() != null && GatewayLookup.refersTo(t.getSpec().gatewayRef, t, g))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        if (spend == null) {
            return List.of(keys, gateways);
        }
        // the ledger database Secrets, for the spend poller (which needs no event of them), and webhook URL Secrets
        var databaseSecrets = ReferencedSecrets.informer(context, s -> context.getPrimaryCache()
                .list(s.getMetadata().getNamespace(), t -> t.getSpec() != null && BudgetAlerts.usesSecret(t.getSpec().alerts, s.getMetadata().getName()))
                .map(ResourceID::fromResource).collect(Collectors.toSet()));
        return List.of(keys, gateways, databaseSecrets,
                spend.eventSource(context, BudgetSubject.Kind.TEAM_BUDGET, gateways, databaseSecrets, BudgetSubject::of));
    }
}
