package dev.tollgate.operator.route;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads credential values from Secrets of one namespace, each Secret fetched once. A missing Secret or key, or a value
 * holding {@code ${}, is reported (by name and key only, never the value) instead: the gateway expands {@code ${NAME}}
 * in every config string, so such a value could copy the gateway's own environment (database password) upstream.
 */
final class SecretValues {

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Secret> secrets = new HashMap<>();

    SecretValues(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** @return the trimmed value, or null after adding the reason to {@code problems} */
    String value(String secretName, String key, boolean required, List<String> problems) {
        Secret s = secrets.computeIfAbsent(secretName, n -> client.secrets().inNamespace(namespace).withName(n).get());
        if (s == null) {
            String problem = "Secret " + namespace + "/" + secretName + " not found";
            if (!problems.contains(problem)) {
                problems.add(problem);
            }
            return null;
        }
        String encoded = s.getData() == null ? null : s.getData().get(key);
        if (encoded == null) {
            if (required) {
                problems.add("Secret " + namespace + "/" + secretName + " has no key " + key);
            }
            return null;
        }
        String value = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
        if (value.contains("${")) {
            problems.add("Secret " + namespace + "/" + secretName + " key " + key + " contains '${', which the gateway would expand");
            return null;
        }
        return value;
    }
}
