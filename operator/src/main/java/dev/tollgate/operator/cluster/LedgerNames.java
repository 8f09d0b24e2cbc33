package dev.tollgate.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** How VirtualKeys and TeamBudgets are named in the gateway's snapshot and ledger: unique across namespaces. */
public final class LedgerNames {

    private LedgerNames() {
    }

    /** Snapshot key name of a VirtualKey. */
    public static String keyName(HasMetadata vk) {
        return vk.getMetadata().getNamespace() + "/" + vk.getMetadata().getName();
    }

    /** Snapshot team name of a TeamBudget. */
    public static String teamName(HasMetadata tb) {
        return tb.getMetadata().getNamespace() + "/" + tb.getMetadata().getName();
    }
}
