package dev.tollgate.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The users' Secrets that ModelRoutes and LLMGateways name (provider credentials, ledger database, admin key), read from
 * an informer that holds only Secrets labelled {@code tollgate.dev/watched=true} (as CloudNativePG watches only Secrets
 * labelled {@code cnpg.io/reload}): the operator never caches every Secret in scope, yet a change of a referenced Secret
 * reaches it as an event. A reference the cache cannot answer is explained with one GET, so an unlabelled Secret is
 * reported as such ({@link #NOT_LABELLED}) instead of looking absent; the steady state reads nothing from the API server.
 * An unlabelled Secret is never used: its changes would not be seen, so a rotated credential would go unnoticed.
 */
public final class ReferencedSecrets {

    /** Name of the informer, in every controller that reads referenced Secrets. */
    public static final String INFORMER = "referenced-secrets";
    public static final String NOT_FOUND = "SecretNotFound";
    public static final String NOT_LABELLED = "SecretNotLabelled";

    /**
     * One reference: the Secret, or why there is none.
     *
     * @param reason  null when found, else {@link #NOT_FOUND} or {@link #NOT_LABELLED}
     * @param problem what to tell the user (names only, never a value), null when found
     */
    public record Lookup(Secret secret, String reason, String problem) {

        public boolean found() {
            return secret != null;
        }

        /** A key's decoded, trimmed value; null when the Secret or the key is absent. */
        public String value(String key) {
            String encoded = secret == null || secret.getData() == null || key == null ? null : secret.getData().get(key);
            return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
        }
    }

    private final Function<ResourceID, Optional<Secret>> cache;
    private final KubernetesClient client;

    /**
     * @param cache  the labelled Secrets (an informer's {@code get})
     * @param client for the one GET that explains a reference the cache cannot answer
     */
    public ReferencedSecrets(Function<ResourceID, Optional<Secret>> cache, KubernetesClient client) {
        this.cache = cache;
        this.client = client;
    }

    /** The referenced Secrets of a controller whose event sources include {@link #informer}. */
    public static ReferencedSecrets of(Context<?> context) {
        InformerEventSource<Secret, ?> informer = (InformerEventSource<Secret, ?>) context.eventSourceRetriever().getEventSourceFor(Secret.class, INFORMER);
        return new ReferencedSecrets(informer::get, context.getClient());
    }

    /** The informer of labelled Secrets; {@code mapper} says which primaries a change concerns. */
    public static <P extends HasMetadata> InformerEventSource<Secret, P> informer(EventSourceContext<P> context, SecondaryToPrimaryMapper<Secret> mapper) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, context.getPrimaryResourceClass())
                .withName(INFORMER).withLabelSelector(Labels.WATCHED).withSecondaryToPrimaryMapper(mapper).build(), context);
    }

    /** The reason for several failed lookups: {@link #NOT_LABELLED} when one of them is, else {@link #NOT_FOUND}. */
    public static String reason(Collection<Lookup> unresolved) {
        return unresolved.stream().anyMatch(l -> NOT_LABELLED.equals(l.reason())) ? NOT_LABELLED : NOT_FOUND;
    }

    public Lookup find(String namespace, String name) {
        Optional<Secret> cached = cache.apply(new ResourceID(name, namespace));
        if (cached.isPresent()) {
            return new Lookup(cached.get(), null, null);
        }
        Secret live = client.secrets().inNamespace(namespace).withName(name).get();
        if (live == null) {
            return new Lookup(null, NOT_FOUND, "Secret " + namespace + "/" + name + " not found");
        }
        Map<String, String> labels = live.getMetadata().getLabels();
        if (labels != null && "true".equals(labels.get(Labels.WATCH))) {
            return new Lookup(live, null, null); // labelled a moment ago: its event is on the way
        }
        return new Lookup(null, NOT_LABELLED, "Secret " + namespace + "/" + name + " is not labelled " + Labels.WATCHED
                + " (kubectl label secret -n " + namespace + " " + name + " " + Labels.WATCHED + ")");
    }
}
