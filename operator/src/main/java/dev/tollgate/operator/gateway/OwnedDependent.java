package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An object a gateway owns, as a JOSDK dependent resource: the desired state comes from its {@link Owned}, the actual
 * one from an informer holding only what the operator wrote ({@link Labels#MANAGED}), so no reconcile GETs it. It
 * matches when every field of the desired object is present and equal in the actual one ({@link SubsetMatch}); an
 * update writes the desired object whole, keeping what others own ({@link Owned#keepLive}); an object whose change the
 * API server would refuse ({@link Owned#mustReplace}) is deleted, its dependents orphaned, and created anew.
 */
final class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, LLMGateway> {

    /** Key of the rendered {@link Snapshot} in the reconcile's context: the reconciler renders it before the workflow runs. */
    static final String SNAPSHOT = "tollgate.dev/snapshot";

    private static final Logger LOG = LoggerFactory.getLogger(OwnedDependent.class);
    /** How long a replaced object may take to go (the garbage collector first releases its dependents). */
    private static final long REPLACE_WAIT_SECONDS = 30;

    private final Owned<R> owned;

    /** @param name of the dependent and of its informer */
    OwnedDependent(Owned<R> owned, String name) {
        super(owned.type(), name);
        this.owned = owned;
    }

    @Override
    protected R desired(LLMGateway gw, Context<LLMGateway> context) {
        return owned.desired(gw, context.managedWorkflowAndDependentResourceContext().getMandatory(SNAPSHOT, Snapshot.class));
    }

    /** By name, so an object that should not exist (an HPA without autoscaling) is still found, and deleted. */
    @Override
    protected ResourceID targetSecondaryResourceID(LLMGateway gw, Context<LLMGateway> context) {
        return new ResourceID(owned.name(gw), gw.getMetadata().getNamespace());
    }

    @Override
    public Matcher.Result<R> match(R actual, R desired, LLMGateway gw, Context<LLMGateway> context) {
        // an object still going is left alone: its deletion event brings the reconcile that creates it anew
        return Matcher.Result.computed(actual.isMarkedForDeletion() || SubsetMatch.contains(actual, desired), desired);
    }

    @Override
    public R update(R actual, R desired, LLMGateway gw, Context<LLMGateway> context) {
        owned.keepLive(actual, desired);
        if (owned.mustReplace(actual, desired)) {
            LOG.info("{} {}/{}: a field that cannot be updated changed; replacing it, its pods keep running", actual.getKind(),
                    actual.getMetadata().getNamespace(), actual.getMetadata().getName());
            context.getClient().resource(actual).withPropagationPolicy(DeletionPropagation.ORPHAN)
                    .withTimeout(REPLACE_WAIT_SECONDS, TimeUnit.SECONDS).delete();
            return context.resourceOperations().create(desired, eventSource().orElseThrow());
        }
        desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        return context.resourceOperations().update(desired, eventSource().orElseThrow());
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(EventSourceContext<LLMGateway> context) {
        return super.informerConfigurationBuilder(context).withLabelSelector(Labels.MANAGED);
    }

    /** The owning gateway, or for a key Secret in the shared Secret informer the gateway its labels name. */
    @Override
    protected Optional<SecondaryToPrimaryMapper<R>> getSecondaryToPrimaryMapper(EventSourceContext<LLMGateway> context) {
        return Optional.of(r -> Labels.gatewayOf(r).map(Set::of).orElse(Set.of()));
    }
}
