package dev.tollgate.operator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Compute status, compare, patch only on change (Keycloak's habit): no churn for kubectl -w or Argo CD. */
public final class StatusDiff {

    private StatusDiff() {
    }

    /** A deep copy, or a fresh instance when there is no status yet. */
    public static <S> S copy(S status, Class<S> type) {
        try {
            return status == null ? type.getDeclaredConstructor().newInstance() : Serialization.clone(status);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean same(Object a, Object b) {
        JsonNode x = Serialization.jsonMapper().valueToTree(a);
        JsonNode y = Serialization.jsonMapper().valueToTree(b);
        return x.equals(y);
    }

    public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R resource, S status) {
        if (same(resource.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }
}
