package dev.tollgate.operator.route;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteStatus;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.GatewayLookup;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.cluster.StatusDiff;
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

/**
 * ModelRoute → status Accepted, ResolvedRefs (credential Secrets found and labelled), Ready; the gateway renders the route
 * itself. Everything it reads (the gateway, the gateway's other routes, the credential Secrets) comes from informers.
 */
@ControllerConfiguration(name = "modelroute")
public class ModelRouteReconciler implements Reconciler<ModelRoute> {

    private final Clock clock;

    public ModelRouteReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpdateControl<ModelRoute> reconcile(ModelRoute route, Context<ModelRoute> context) {
        ModelRouteStatus status = StatusDiff.copy(route.getStatus(), ModelRouteStatus.class);
        status.observedGeneration = route.getMetadata().getGeneration();
        int declared = route.getSpec().backends == null ? 0 : route.getSpec().backends.size();
        String ns = route.getMetadata().getNamespace();
        Optional<LLMGateway> found = GatewayLookup.get(context, new ResourceID(route.getSpec().gatewayRef.name, ns));
        if (found.isEmpty()) {
            String msg = "LLMGateway " + ns + "/" + route.getSpec().gatewayRef.name + " does not exist";
            Conditions.set(status, route, clock, Conditions.ACCEPTED, false, "GatewayNotFound", msg);
            Conditions.set(status, route, clock, Conditions.READY, false, "GatewayNotFound", msg);
            status.backends = "0/" + declared;
            return StatusDiff.patchIfChanged(route, status);
        }
        LLMGateway gw = found.get();
        RouteResolution.Outcome o = RouteResolution.resolve(context.getPrimaryCache().list(ns).toList(), ReferencedSecrets.of(context), gw)
                .get(route.getMetadata().getName());
        Conditions.set(status, route, clock, Conditions.ACCEPTED, o.accepted(), o.acceptedReason(), o.acceptedMessage());
        boolean resolved = o.unresolved().isEmpty();
        Conditions.set(status, route, clock, Conditions.RESOLVED_REFS, resolved, resolved ? "ResolvedRefs" : o.unresolvedReason(),
                resolved ? "all credential Secrets found" : String.join("; ", o.unresolved()));
        boolean ready = o.config() != null;
        Conditions.set(status, route, clock, Conditions.READY, ready, ready ? "Serving" : (o.accepted() ? o.unresolvedReason() : o.acceptedReason()),
                ready ? "route is in the snapshot of LLMGateway " + gw.getMetadata().getName() : "route is left out of the snapshot: "
                        + (o.accepted() ? String.join("; ", o.unresolved()) : o.acceptedMessage()));
        status.backends = o.resolvedBackends() + "/" + declared;
        return StatusDiff.patchIfChanged(route, status);
    }

    @Override
    public List<EventSource<?, ModelRoute>> prepareEventSources(EventSourceContext<ModelRoute> context) {
        var secrets = ReferencedSecrets.informer(context, s -> context.getPrimaryCache()
                .list(s.getMetadata().getNamespace(), r -> r.getSpec() != null && r.getSpec().backends != null && r.getSpec().backends.stream()
                        .anyMatch(b -> (b.credentialSecretRef != null && s.getMetadata().getName().equals(b.credentialSecretRef.name))
                                || (b.awsCredentialsSecretRef != null && s.getMetadata().getName().equals(b.awsCredentialsSecretRef.name))))
                .map(ResourceID::fromResource).collect(Collectors.toSet()));
        var gateways = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMGateway.class, ModelRoute.class)
                .withSecondaryToPrimaryMapper((LLMGateway g) -> context.getPrimaryCache()
                        .list(g.getMetadata().getNamespace(), r -> r.getSpec() != null && r.getSpec().gatewayRef != null
                                && g.getMetadata().getName().equals(r.getSpec().gatewayRef.name))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(secrets, gateways);
    }
}
