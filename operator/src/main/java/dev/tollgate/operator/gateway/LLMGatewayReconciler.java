package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.GatewayRef;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewayStatus;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.Labels;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.cluster.StatusDiff;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * LLMGateway → snapshot Secret, ServiceAccount, Role, RoleBinding, StatefulSet, Service, headless Service,
 * PodDisruptionBudget, HPA ({@link GatewayWorkflow}).
 * Re-renders whenever a ModelRoute, VirtualKey, TeamBudget, key Secret or referenced Secret it depends on changes;
 * reports what its pods' statuses say ({@link GatewayPods}: the {@code Degraded} condition) whenever one of them
 * changes, and whether the Secrets its spec names can be read ({@code ResolvedRefs}). Everything it reads comes from
 * informers; a reconcile with nothing new sends nothing to the API server.
 */
@ControllerConfiguration(name = "llmgateway")
public class LLMGatewayReconciler implements Reconciler<LLMGateway> {

    private final Clock clock;
    private final GatewayWorkflow owned;
    private final RetiredDeployment retiredDeployment = new RetiredDeployment();

    /** @param defaultImage image of gateways without {@code spec.image} (the operator's TOLLGATE_GATEWAY_IMAGE) */
    public LLMGatewayReconciler(Clock clock, String defaultImage) {
        this.clock = clock;
        this.owned = new GatewayWorkflow(defaultImage);
    }

    @Override
    public UpdateControl<LLMGateway> reconcile(LLMGateway gw, Context<LLMGateway> context) {
        KubernetesClient client = context.getClient();
        Instant now = Instant.now(clock);
        ReferencedSecrets referenced = ReferencedSecrets.of(context);
        Snapshot snapshot = new SnapshotRenderer(referenced, owned::writtenSecret, client).render(gw, context.getSecondaryResources(ModelRoute.class),
                context.getSecondaryResources(VirtualKey.class), context.getSecondaryResources(TeamBudget.class), now);
        owned.reconcile(gw, snapshot, context);
        StatefulSet pods = owned.statefulSet(gw, context).orElse(null);
        GatewayPods.Verdict health = GatewayPods.assess(context.getSecondaryResources(Pod.class), now);
        LLMGatewayStatus status = status(gw, snapshot, pods, health, unresolved(gw, snapshot, referenced));
        retiredDeployment.removeOnceReplaced(client, gw, Conditions.isTrue(status, Conditions.READY));
        UpdateControl<LLMGateway> control = StatusDiff.patchIfChanged(gw, status);
        Instant wakeUp = Stream.of(snapshot.nextChange(), health.recheckAt()).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        if (wakeUp != null) {
            control.rescheduleAfter(Math.max(1000, Duration.between(now, wakeUp).toMillis() + 500));
        }
        return control;
    }

    /** The Secrets of the spec the operator reads and cannot: the admin key (the render's) and the ledger database. */
    private static List<ReferencedSecrets.Lookup> unresolved(LLMGateway gw, Snapshot snapshot, ReferencedSecrets referenced) {
        List<ReferencedSecrets.Lookup> unresolved = new ArrayList<>(snapshot.unresolved());
        if (gw.getSpec().database != null && gw.getSpec().database.secretName != null) {
            ReferencedSecrets.Lookup db = referenced.find(gw.getMetadata().getNamespace(), gw.getSpec().database.secretName);
            if (!db.found()) {
                unresolved.add(db);
            }
        }
        return unresolved;
    }

    private LLMGatewayStatus status(LLMGateway gw, Snapshot snapshot, StatefulSet pods, GatewayPods.Verdict health,
                                    List<ReferencedSecrets.Lookup> unresolved) {
        LLMGatewayStatus s = StatusDiff.copy(gw.getStatus(), LLMGatewayStatus.class);
        s.observedGeneration = gw.getMetadata().getGeneration();
        s.configVersion = snapshot.version();
        s.configSecret = GatewayResources.configSecretName(gw);
        s.routes = snapshot.config().routes().size();
        s.keys = snapshot.config().keys().size();
        s.teams = snapshot.config().teams().size();
        s.replicas = pods == null || pods.getStatus() == null ? null : pods.getStatus().getReplicas();
        s.readyReplicas = pods == null || pods.getStatus() == null || pods.getStatus().getReadyReplicas() == null
                ? 0 : pods.getStatus().getReadyReplicas();
        int wanted = gw.getSpec().autoscaling != null ? gw.getSpec().autoscaling.minReplicas
                : (gw.getSpec().replicas == null ? 2 : gw.getSpec().replicas);
        Conditions.set(s, gw, clock, Conditions.RESOLVED_REFS, unresolved.isEmpty(),
                unresolved.isEmpty() ? "ResolvedRefs" : ReferencedSecrets.reason(unresolved),
                unresolved.isEmpty() ? "all Secrets the spec names are readable"
                        : unresolved.stream().map(ReferencedSecrets.Lookup::problem).collect(Collectors.joining("; ")));
        var problem = health.problem();
        Conditions.set(s, gw, clock, Conditions.DEGRADED, problem.isPresent(), problem.map(GatewayPods.Problem::reason).orElse("PodsHealthy"),
                health.message());
        // while Degraded, Ready carries the same reason: Argo CD health checks that predate Degraded show it too
        boolean ready = s.readyReplicas >= wanted && problem.isEmpty();
        Conditions.set(s, gw, clock, Conditions.READY, ready, ready ? "PodsReady" : problem.map(GatewayPods.Problem::reason).orElse("PodsNotReady"),
                s.readyReplicas + "/" + wanted + " gateway pods ready; " + (problem.isPresent() ? health.message() : "config " + snapshot.version()));
        return s;
    }

    @Override
    public List<EventSource<?, LLMGateway>> prepareEventSources(EventSourceContext<LLMGateway> context) {
        var routes = new InformerEventSource<>(InformerEventSourceConfiguration.from(ModelRoute.class, LLMGateway.class)
                .withSecondaryToPrimaryMapper((ModelRoute r) -> r.getSpec() == null || r.getSpec().gatewayRef == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().gatewayRef.name, r.getMetadata().getNamespace())))
                .build(), context);
        var keys = new InformerEventSource<>(InformerEventSourceConfiguration.from(VirtualKey.class, LLMGateway.class)
                .withSecondaryToPrimaryMapper(byGatewayRef((VirtualKey k) -> k.getSpec() == null ? null : k.getSpec().gatewayRef))
                .withOnUpdateFilter((n, o) -> !n.getMetadata().getGeneration().equals(o.getMetadata().getGeneration())
                        || n.getMetadata().getDeletionTimestamp() != null)
                .build(), context);
        var teams = new InformerEventSource<>(InformerEventSourceConfiguration.from(TeamBudget.class, LLMGateway.class)
                .withSecondaryToPrimaryMapper(byGatewayRef((TeamBudget t) -> t.getSpec() == null ? null : t.getSpec().gatewayRef))
                .withOnUpdateFilter((n, o) -> !n.getMetadata().getGeneration().equals(o.getMetadata().getGeneration())
                        || n.getMetadata().getDeletionTimestamp() != null)
                .build(), context);
        // a credential, database or admin-key Secret: every gateway of its namespace may use it
        var secrets = ReferencedSecrets.informer(context, s -> context.getPrimaryCache().list(s.getMetadata().getNamespace())
                .map(ResourceID::fromResource).collect(Collectors.toSet()));
        // the StatefulSet's pods (owned by it, not by the gateway): their labels name the gateway
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, LLMGateway.class)
                .withName("gateway-pods")
                .withLabelSelector(Labels.POD_SELECTOR)
                .withSecondaryToPrimaryMapper((Pod p) -> Labels.gatewayOfPod(p).map(Set::of).orElse(Set.of())).build(), context);
        List<EventSource<?, LLMGateway>> sources = new ArrayList<>(List.of(routes, keys, teams, secrets, pods));
        sources.addAll(owned.eventSources(context));
        return sources;
    }

    private static <T extends HasMetadata> SecondaryToPrimaryMapper<T> byGatewayRef(Function<T, GatewayRef> ref) {
        return t -> {
            var r = ref.apply(t);
            return r == null || r.name == null ? Set.of() : Set.of(new ResourceID(r.name, r.namespaceOr(t.getMetadata().getNamespace())));
        };
    }
}
