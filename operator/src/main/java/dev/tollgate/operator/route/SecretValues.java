package dev.tollgate.operator.route;

import dev.tollgate.operator.cluster.ReferencedSecrets;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads credential values from the referenced Secrets of one namespace, each Secret looked up once. A missing or
 * unlabelled Secret, a missing key, or a value holding <code>${</code>, is reported (by name and key only, never the value)
 * instead: the gateway expands {@code ${NAME}} in every config string, so such a value could copy the gateway's own
 * environment (database password) upstream.
 */
final class SecretValues {

    private final ReferencedSecrets secrets;
    private final String namespace;
    private final Map<String, ReferencedSecrets.Lookup> lookups = new HashMap<>();

    SecretValues(ReferencedSecrets secrets, String namespace) {
        this.secrets = secrets;
        this.namespace = namespace;
    }

    /** Returns the trimmed value, or null after adding the reason to {@code problems}. */
    String value(String secretName, String key, boolean required, List<String> problems) {
        ReferencedSecrets.Lookup s = lookups.computeIfAbsent(secretName, n -> secrets.find(namespace, n));
        if (!s.found()) {
            if (!problems.contains(s.problem())) {
                problems.add(s.problem());
            }
            return null;
        }
        String value = s.value(key);
        if (value == null) {
            if (required) {
                problems.add("Secret " + namespace + "/" + secretName + " has no key " + key);
            }
            return null;
        }
        if (value.contains("${")) {
            problems.add("Secret " + namespace + "/" + secretName + " key " + key + " contains '${', which the gateway would expand");
            return null;
        }
        return value;
    }

    /** {@link ReferencedSecrets#NOT_LABELLED} when one of {@code problems} is an unlabelled Secret, else {@code otherwise}. */
    String reason(List<String> problems, String otherwise) {
        return lookups.values().stream().anyMatch(l -> ReferencedSecrets.NOT_LABELLED.equals(l.reason()) && problems.contains(l.problem()))
                ? ReferencedSecrets.NOT_LABELLED : otherwise;
    }
}
