package dev.tollgate.operator.route;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteStatus;
import dev.tollgate.operator.Conditions;
import dev.tollgate.operator.StatusDiff;
import io.fabric8.kubernetes.api.model.Secret;
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
import java.util.stream.Collectors;

/** ModelRoute → status Accepted, ResolvedRefs (credential Secrets found), Ready; the gateway renders the route itself. */
@ControllerConfiguration(name = "modelroute")
public class ModelRouteReconciler implements Reconciler<ModelRoute> {

    private final Clock clock;

    public ModelRouteReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpdateControl<ModelRoute> reconcile(ModelRoute route, Context<ModelRoute> context) {
        KubernetesClient client = context.getClient();
        ModelRouteStatus status = StatusDiff.copy(route.getStatus(), ModelRouteStatus.class);
        status.observedGeneration = route.getMetadata().getGeneration();
        int declared = route.getSpec().backends == null ? 0 : route.getSpec().backends.size();
        LLMGateway gw = client.resources(LLMGateway.class).inNamespace(route.getMetadata().getNamespace()).withName(route.getSpec().gatewayRef.name).get();
        if (gw == null) {
            String msg = "LLMGateway " + route.getMetadata().getNamespace() + "/" + route.getSpec().gatewayRef.name + " does not exist";
            Conditions.set(status, route, clock, Conditions.ACCEPTED, false, "GatewayNotFound", msg);
            Conditions.set(status, route, clock, Conditions.READY, false, "GatewayNotFound", msg);
            status.backends = "0/" + declared;
            return StatusDiff.patchIfChanged(route, status);
        }
        RouteResolution.Outcome o = RouteResolution.resolve(client, gw).get(route.getMetadata().getName());
        Conditions.set(status, route, clock, Conditions.ACCEPTED, o.accepted(), o.acceptedReason(), o.acceptedMessage());
        boolean resolved = o.unresolved().isEmpty();
        Conditions.set(status, route, clock, Conditions.RESOLVED_REFS, resolved, resolved ? "ResolvedRefs" : "CredentialSecretNotFound",
                resolved ? "all credential Secrets found" : String.join("; ", o.unresolved()));
        boolean ready = o.config() != null;
        Conditions.set(status, route, clock, Conditions.READY, ready, ready ? "Serving" : (o.accepted() ? "CredentialSecretNotFound" : o.acceptedReason()),
                ready ? "route is in the snapshot of LLMGateway " + gw.getMetadata().getName() : "route is left out of the snapshot: "
                        + (o.accepted() ? String.join("; ", o.unresolved()) : o.acceptedMessage()));
        status.backends = o.resolvedBackends() + "/" + declared;
        return StatusDiff.patchIfChanged(route, status);
    }

    @Override
    public List<EventSource<?, ModelRoute>> prepareEventSources(EventSourceContext<ModelRoute> context) {
        var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, ModelRoute.class)
                .withSecondaryToPrimaryMapper((Secret s) -> context.getPrimaryCache()
                        .list(s.getMetadata().getNamespace(), r -> r.getSpec() != null && r.getSpec().backends != null && r.getSpec().backends.stream()
                                .anyMatch(b -> b.credentialSecretRef != null && s.getMetadata().getName().equals(b.credentialSecretRef.name)))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        var gateways = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMGateway.class, ModelRoute.class)
                .withSecondaryToPrimaryMapper((LLMGateway g) -> context.getPrimaryCache()
                        .list(g.getMetadata().getNamespace(), r -> r.getSpec() != null && r.getSpec().gatewayRef != null
                                && g.getMetadata().getName().equals(r.getSpec().gatewayRef.name))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(secrets, gateways);
    }
}
