package dev.tollgate.operator.route;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Durations;
import dev.tollgate.api.config.MockSettings;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a gateway's ModelRoutes into route configs: resolves credential Secrets (in the gateway's namespace), leaves
 * out a route whose references do not resolve or whose model name is taken, and maps fallbacks to model names.
 * Used by the snapshot and by the ModelRoute status, so both always agree.
 */
public final class RouteResolution {

    /** The verdict on one ModelRoute. {@code config} is null when the route is left out of the snapshot. */
    public record Outcome(ModelRoute route, RouteConfig config, boolean accepted, String acceptedReason, String acceptedMessage,
                          List<String> unresolved, int resolvedBackends) {
    }

    private RouteResolution() {
    }

    public static List<ModelRoute> routesOf(KubernetesClient client, LLMGateway gw) {
        return client.resources(ModelRoute.class).inNamespace(gw.getMetadata().getNamespace()).list().getItems().stream()
                .filter(r -> r.getSpec() != null && r.getSpec().gatewayRef != null && gw.getMetadata().getName().equals(r.getSpec().gatewayRef.name))
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing((ModelRoute r) -> r.getMetadata().getCreationTimestamp() == null ? "" : r.getMetadata().getCreationTimestamp())
                        .thenComparing(r -> r.getMetadata().getName()))
                .toList();
    }

    public static Map<String, Outcome> resolve(KubernetesClient client, LLMGateway gw) {
        String ns = gw.getMetadata().getNamespace();
        Map<String, Secret> secrets = new HashMap<>();
        Map<String, Outcome> out = new LinkedHashMap<>();
        Map<String, String> modelOwners = new HashMap<>();
        Map<String, String> modelOfRoute = new HashMap<>();
        for (ModelRoute r : routesOf(client, gw)) {
            ModelRouteSpec spec = r.getSpec();
            List<String> unresolved = new ArrayList<>();
            List<BackendConfig> backends = new ArrayList<>();
            for (ModelRouteSpec.Backend b : spec.backends == null ? List.<ModelRouteSpec.Backend>of() : spec.backends) {
                String apiKey = null;
                if (b.credentialSecretRef != null) {
                    Secret s = secrets.computeIfAbsent(b.credentialSecretRef.name, n -> client.secrets().inNamespace(ns).withName(n).get());
                    String encoded = s == null || s.getData() == null ? null : s.getData().get(b.credentialSecretRef.key);
                    if (s == null) {
                        unresolved.add("Secret " + ns + "/" + b.credentialSecretRef.name + " not found");
                        continue;
                    }
                    if (encoded == null) {
                        unresolved.add("Secret " + ns + "/" + b.credentialSecretRef.name + " has no key " + b.credentialSecretRef.key);
                        continue;
                    }
                    apiKey = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
                }
                backends.add(backend(r, b, apiKey));
            }
            List<String> names = new ArrayList<>();
            names.add(spec.model);
            names.addAll(spec.aliases == null ? List.of() : spec.aliases);
            String taken = names.stream().filter(modelOwners::containsKey).findFirst().orElse(null);
            int declared = spec.backends == null ? 0 : spec.backends.size();
            if (taken != null) {
                out.put(r.getMetadata().getName(), new Outcome(r, null, false, "ModelNameConflict",
                        "model name '" + taken + "' is already served by ModelRoute " + modelOwners.get(taken), unresolved, backends.size()));
                continue;
            }
            if (!unresolved.isEmpty()) {
                out.put(r.getMetadata().getName(), new Outcome(r, null, true, "Accepted", "route is valid", unresolved, backends.size()));
                continue;
            }
            names.forEach(n -> modelOwners.put(n, r.getMetadata().getName()));
            modelOfRoute.put(r.getMetadata().getName(), spec.model);
            Duration timeout = spec.timeout == null ? RouteConfig.DEFAULT_TIMEOUT : Durations.parse(spec.timeout);
            RouteConfig config = new RouteConfig(spec.model, spec.aliases == null ? List.of() : spec.aliases, backends,
                    spec.strategy == null ? "weighted" : spec.strategy.name(), spec.retries == null ? 0 : spec.retries,
                    timeout == null ? RouteConfig.DEFAULT_TIMEOUT : timeout, List.of());
            out.put(r.getMetadata().getName(), new Outcome(r, config, true, "Accepted", "route is valid", List.of(), declared));
        }
        // fallbacks name other ModelRoutes; the snapshot names their models, and drops those left out
        out.replaceAll((name, o) -> o.config() == null ? o : new Outcome(o.route(), withFallbacks(o.config(),
                (o.route().getSpec().fallbacks == null ? List.<String>of() : o.route().getSpec().fallbacks).stream()
                        .filter(f -> !f.equals(name)).map(modelOfRoute::get).filter(m -> m != null).distinct().toList()),
                o.accepted(), o.acceptedReason(), o.acceptedMessage(), o.unresolved(), o.resolvedBackends()));
        return out;
    }

    private static RouteConfig withFallbacks(RouteConfig c, List<String> fallbacks) {
        return new RouteConfig(c.model(), c.aliases(), c.backends(), c.strategy(), c.retries(), c.timeout(), fallbacks);
    }

    private static BackendConfig backend(ModelRoute r, ModelRouteSpec.Backend b, String apiKey) {
        Pricing pricing = b.pricing == null ? null
                : new Pricing(b.pricing.inputPerMillion, b.pricing.outputPerMillion, b.pricing.cachedInputPerMillion);
        boolean mock = "mock".equals(b.provider);
        // backend names are global in a snapshot: prefix with the route's (namespace-unique) name
        return new BackendConfig(r.getMetadata().getName() + "/" + b.name, b.provider, b.model,
                b.baseUrl == null ? null : URI.create(b.baseUrl), apiKey, b.weight == null ? 1 : b.weight,
                b.priority == null ? 0 : b.priority, pricing, mock ? MockSettings.defaults() : null);
    }
}
