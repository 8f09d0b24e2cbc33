package dev.tollgate.api.crd;

import dev.tollgate.api.provider.ProviderSpec;
import dev.tollgate.api.provider.ProviderSpecs;

import java.util.stream.Collectors;

/**
 * The ModelRoute schema's rule on {@code spec.backends[].provider}, built from {@link ProviderSpecs#ALL}: a new spec
 * reaches the CRD with no other edit. An annotation would need a constant, so the rule is not on the field;
 * the CRD post-processing of the build's tests ({@code CrdPostProcessing}) puts it into the generated schema, and
 * {@code CrdYamlTest} keeps {@code crds/} and the chart equal to that.
 */
public final class ProviderIds {

    /** What the API server answers for an id no gateway of this release knows. */
    public static final String MESSAGE = "unknown provider id (see docs/providers.md)";

    private ProviderIds() {
    }

    /** CEL: the field is one of the gateway's provider ids, in the order of {@link ProviderSpecs#ALL}. */
    public static String rule() {
        return ProviderSpecs.ALL.stream().map(ProviderSpec::id).map(id -> "'" + id + "'")
                .collect(Collectors.joining(", ", "self in [", "]"));
    }
}
