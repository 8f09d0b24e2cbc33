package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Names and metadata shared by the objects a gateway owns. */
public final class GatewayResources {

    public static final int PORT = 4000;

    /**
     * Port of {@code /admin} and {@code /metrics} when the LLMGateway names none: on the API port metrics would need the
     * admin key, and key and team names (and spend) stay off the port applications reach.
     */
    public static final int MANAGEMENT_PORT = 9090;
    public static final String CONFIG_KEY = "config.yaml";
    public static final String CONFIG_DIR = "/etc/tollgate";
    /** Mount path of the journal volume (a claim per pod, or an emptyDir): see {@link JournalVolume}. */
    public static final String JOURNAL_DIR = "/var/lib/tollgate";
    /** Ledger journal and spill files, on the journal volume: rows a killed pod left are replayed when it starts again. */
    public static final String SPILL_DIR = JOURNAL_DIR + "/spill";

    private GatewayResources() {
    }

    public static String configSecretName(LLMGateway gw) {
        return gw.getMetadata().getName() + "-config";
    }

    /** The headless Service governing the gateway's StatefulSet. */
    public static String headlessServiceName(LLMGateway gw) {
        return gw.getMetadata().getName() + "-headless";
    }

    public static String serviceAccountName(LLMGateway gw) {
        return gw.getMetadata().getName() + "-gateway";
    }

    static ObjectMeta meta(LLMGateway gw, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(gw.getMetadata().getNamespace())
                .withLabels(Labels.owned(gw))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(gw.getApiVersion()).withKind(gw.getKind())
                        .withName(gw.getMetadata().getName()).withUid(gw.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .build();
    }
}
