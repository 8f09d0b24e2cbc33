package dev.tollgate.operator.cluster;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Kubernetes Events about a resource, for {@code kubectl describe} and {@code kubectl events}: core/v1 Events, the API
 * the chart's RBAC grants ({@code events: create}). Best effort: an Event the API server refuses is logged, and the
 * reconcile that wanted it goes on.
 */
public final class KubeEvents {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    public static final String COMPONENT = "tollgate-operator";
    private static final Logger LOG = LoggerFactory.getLogger(KubeEvents.class);

    private KubeEvents() {
    }

    /** Records an Event best effort: one the API server refuses is logged, and the caller goes on. */
    public static void emit(KubernetesClient client, Clock clock, HasMetadata about, String type, String reason, String message) {
        try {
            create(client, about, type, reason, message, Instant.now(clock));
        } catch (KubernetesClientException e) {
            LOG.warn("{} {}/{}: Event {} not recorded: {}", about.getKind(), about.getMetadata().getNamespace(),
                    about.getMetadata().getName(), reason, e.getMessage());
        }
    }

    /** Records an Event about {@code about} in its namespace; a refusal is thrown to the caller. */
    public static void create(KubernetesClient client, HasMetadata about, String type, String reason, String message, Instant at) {
        String ns = about.getMetadata().getNamespace();
        String now = at.toString();
        client.v1().events().inNamespace(ns).resource(new EventBuilder()
                .withNewMetadata().withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(ns).endMetadata()
                .withType(type).withReason(reason).withMessage(message)
                .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind()).withName(about.getMetadata().getName())
                .withNamespace(ns).withUid(about.getMetadata().getUid()).endInvolvedObject()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .build()).create();
    }
}
