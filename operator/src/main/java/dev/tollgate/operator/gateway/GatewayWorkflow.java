package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

import java.util.List;
import java.util.Optional;

/**
 * Everything a gateway owns, as a JOSDK workflow of {@link OwnedDependent}s: ServiceAccount, Role, RoleBinding, config
 * Secret, headless Service, StatefulSet (after the Secret, ServiceAccount and headless Service it names), Service,
 * PodDisruptionBudget, and the HPA (after the StatefulSet it scales, only with {@code spec.autoscaling}). One informer
 * per kind, each holding only what the operator wrote; the two Services share one, and the config Secret's also holds
 * the VirtualKeys' key Secrets, which the snapshot needs.
 */
final class GatewayWorkflow {

    /** The HPA exists only while the gateway asks for autoscaling; without, it is deleted. */
    private static final Condition<HorizontalPodAutoscaler, LLMGateway> AUTOSCALING = (hpa, gw, context) -> gw.getSpec().autoscaling != null;

    private final OwnedDependent<ServiceAccount> serviceAccount = new OwnedDependent<>(new GatewayServiceAccount(), "gateway-serviceaccount");
    private final OwnedDependent<Role> role = new OwnedDependent<>(new GatewayRole(), "gateway-role");
    private final OwnedDependent<RoleBinding> roleBinding = new OwnedDependent<>(new GatewayRoleBinding(), "gateway-rolebinding");
    private final OwnedDependent<Secret> configSecret = new OwnedDependent<>(new ConfigSecret(), "operator-secrets");
    private final OwnedDependent<Service> service = new OwnedDependent<>(GatewayService.forClients(), "gateway-services");
    private final OwnedDependent<Service> headlessService = new OwnedDependent<>(GatewayService.headless(), "gateway-headless-service");
    private final OwnedDependent<StatefulSet> statefulSet;
    private final OwnedDependent<PodDisruptionBudget> disruptionBudget = new OwnedDependent<>(new GatewayPodDisruptionBudget(), "gateway-pdb");
    private final OwnedDependent<HorizontalPodAutoscaler> autoscaler = new OwnedDependent<>(new GatewayAutoscaler(), "gateway-hpa");
    private final Workflow<LLMGateway> workflow;

    /** @param defaultImage image of gateways without {@code spec.image} */
    GatewayWorkflow(String defaultImage) {
        statefulSet = new OwnedDependent<>(new GatewayStatefulSet(defaultImage), "gateway-statefulset");
        workflow = new WorkflowBuilder<LLMGateway>()
                .addDependentResource(serviceAccount)
                .addDependentResource(role)
                .addDependentResourceAndConfigure(roleBinding).dependsOn(role, serviceAccount)
                .addDependentResource(configSecret)
                .addDependentResource(headlessService)
                .addDependentResourceAndConfigure(statefulSet).dependsOn(configSecret, serviceAccount, headlessService)
                .addDependentResource(service)
                .addDependentResource(disruptionBudget)
                .addDependentResourceAndConfigure(autoscaler).dependsOn(statefulSet)
                .withReconcilePrecondition(AUTOSCALING)
                .build();
    }

    /** The dependents' informers: one per kind. */
    List<EventSource<?, LLMGateway>> eventSources(EventSourceContext<LLMGateway> context) {
        headlessService.setEventSource(service.eventSource(context).orElseThrow());
        return EventSourceUtils.dependentEventSources(context, serviceAccount, role, roleBinding, configSecret, service, statefulSet,
                disruptionBudget, autoscaler);
    }

    /** Creates, updates or deletes every owned object so it matches what {@code snapshot} and the spec want. */
    void reconcile(LLMGateway gw, Snapshot snapshot, Context<LLMGateway> context) {
        context.managedWorkflowAndDependentResourceContext().put(OwnedDependent.SNAPSHOT, snapshot);
        workflow.reconcile(gw, context);
    }

    /** The gateway's StatefulSet as the informer holds it. */
    Optional<StatefulSet> statefulSet(LLMGateway gw, Context<LLMGateway> context) {
        return statefulSet.getSecondaryResource(gw, context);
    }

    /** A Secret the operator wrote (config or key Secret), from the informer. */
    Optional<Secret> writtenSecret(ResourceID id) {
        return configSecret.eventSource().orElseThrow().get(id);
    }
}
