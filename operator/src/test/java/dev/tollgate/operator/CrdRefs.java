package dev.tollgate.operator;

import dev.tollgate.api.crd.BudgetSpec;
import dev.tollgate.api.crd.GatewayRef;
import dev.tollgate.api.crd.ModelRouteSpec;
import dev.tollgate.api.crd.SecretKeyRef;

import java.math.BigDecimal;

/** Small spec parts for test resources: the CRD classes have only the no-argument constructor Jackson uses. */
public final class CrdRefs {

    private CrdRefs() {
    }

    public static SecretKeyRef secretKeyRef(String name, String key) {
        SecretKeyRef ref = new SecretKeyRef();
        ref.name = name;
        ref.key = key;
        return ref;
    }

    public static GatewayRef gatewayRef(String name, String namespace) {
        GatewayRef ref = new GatewayRef();
        ref.name = name;
        ref.namespace = namespace;
        return ref;
    }

    public static ModelRouteSpec.LocalRef localRef(String name) {
        ModelRouteSpec.LocalRef ref = new ModelRouteSpec.LocalRef();
        ref.name = name;
        return ref;
    }

    public static BudgetSpec budget(BigDecimal amountUsd, String period) {
        BudgetSpec budget = new BudgetSpec();
        budget.amountUsd = amountUsd;
        budget.period = period;
        return budget;
    }
}
