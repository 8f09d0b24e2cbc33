package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** One object a gateway owns: knows only how to build its desired state; {@link OwnedDependent} makes it a JOSDK dependent resource. */
interface Owned<R extends HasMetadata> {

    Class<R> type();

    /** The desired object, or null when it should not exist (e.g. no HPA without autoscaling). */
    R desired(LLMGateway gw, Snapshot snapshot);

    /** Name of the object, also when it should not exist. */
    String name(LLMGateway gw);

    /** Copies into {@code desired} the fields of the live object that others own (e.g. replicas an autoscaler sets); none by default. */
    default void keepLive(R actual, R desired) {
    }

    /** Whether {@code desired} changes a field the API server will not update, so {@code actual} must be replaced; never by default. */
    default boolean mustReplace(R actual, R desired) {
        return false;
    }
}
