package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** One object a gateway owns: knows only how to build its desired state (JOSDK's dependent-resource idea). */
interface Owned<R extends HasMetadata> {

    Class<R> type();

    /** The desired object, or null when it should not exist (e.g. no HPA without autoscaling). */
    R desired(LLMGateway gw, Snapshot snapshot);

    /** Name of the object, also when it should not exist. */
    String name(LLMGateway gw);
}
