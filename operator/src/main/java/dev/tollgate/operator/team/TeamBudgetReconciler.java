package dev.tollgate.operator.team;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.TeamBudgetStatus;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.Conditions;
import dev.tollgate.operator.GatewayLookup;
import dev.tollgate.operator.StatusDiff;
import dev.tollgate.operator.gateway.BudgetZones;
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
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** TeamBudget → status Accepted, Ready and the number of keys counting towards it; the gateway renders the team. */
@ControllerConfiguration(name = "teambudget")
public class TeamBudgetReconciler implements Reconciler<TeamBudget> {

    private final Clock clock;

    public TeamBudgetReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpdateControl<TeamBudget> reconcile(TeamBudget tb, Context<TeamBudget> context) {
        KubernetesClient client = context.getClient();
        TeamBudgetStatus status = StatusDiff.copy(tb.getStatus(), TeamBudgetStatus.class);
        status.observedGeneration = tb.getMetadata().getGeneration();
        Optional<LLMGateway> gw = GatewayLookup.find(client, tb.getSpec().gatewayRef, tb);
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
        status.keys = accepted ? (int) client.resources(VirtualKey.class).inNamespace(tb.getMetadata().getNamespace()).list().getItems().stream()
                .filter(vk -> vk.getSpec() != null && GatewayLookup.refersTo(vk.getSpec().gatewayRef, vk, gw.get()))
                .filter(vk -> GatewayLookup.matches(tb.getSpec().keySelector, vk.getMetadata().getLabels())).count() : 0;
        Conditions.set(status, tb, clock, Conditions.ACCEPTED, accepted, reason, message);
        Conditions.set(status, tb, clock, Conditions.READY, accepted, reason, message);
        return StatusDiff.patchIfChanged(tb, status);
    }

    @Override
    public List<EventSource<?, TeamBudget>> prepareEventSources(EventSourceContext<TeamBudget> context) {
        var keys = new InformerEventSource<>(InformerEventSourceConfiguration.from(VirtualKey.class, TeamBudget.class)
                .withOnUpdateFilter((n, o) -> !n.getMetadata().getGeneration().equals(o.getMetadata().getGeneration())
                        || !java.util.Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper((VirtualKey k) -> context.getPrimaryCache().list(k.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        var gateways = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMGateway.class, TeamBudget.class)
                .withSecondaryToPrimaryMapper((LLMGateway g) -> context.getPrimaryCache()
                        .list(t -> t.getSpec() != null && GatewayLookup.refersTo(t.getSpec().gatewayRef, t, g))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(keys, gateways);
    }
}
