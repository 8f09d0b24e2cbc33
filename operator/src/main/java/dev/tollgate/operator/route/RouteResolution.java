package dev.tollgate.operator.route;

import dev.tollgate.api.config.AwsCredentials;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.BackendPrices;
import dev.tollgate.api.config.MockSettings;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteSpec;
import dev.tollgate.api.pricing.PriceCatalog;
import dev.tollgate.operator.cluster.ReferencedSecrets;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a gateway's ModelRoutes into route configs: resolves credential Secrets (API keys and AWS credentials, in the
 * gateway's namespace), leaves out a route whose references do not resolve, whose model name is taken, whose settings
 * the gateway would refuse or one of whose backends has no price (neither its own pricing nor a model in the built-in
 * price catalog: reason {@code UnpricedModel}), and maps the three fallback lists to model names.
 * Used by the snapshot and by the ModelRoute status, so both always agree.
 */
public final class RouteResolution {

    /** Reason of {@code ResolvedRefs=False} when a credential Secret or key is missing. */
    public static final String SECRET_NOT_FOUND = "CredentialSecretNotFound";

    /**
     * The verdict on one ModelRoute. {@code config} is null when the route is left out of the snapshot.
     *
     * @param unresolvedReason why {@code unresolved} is not empty: {@link ReferencedSecrets#NOT_LABELLED} when a
     *                         credential Secret lacks the label, else {@link #SECRET_NOT_FOUND}; null when all resolved
     */
    public record Outcome(ModelRoute route, RouteConfig config, boolean accepted, String acceptedReason, String acceptedMessage,
                          List<String> unresolved, String unresolvedReason, int resolvedBackends) {
    }

    private RouteResolution() {
    }

    /** The live routes of {@code gw} among {@code routes} (an informer's), oldest first. */
    public static List<ModelRoute> routesOf(Collection<ModelRoute> routes, LLMGateway gw) {
        return routes.stream()
                .filter(r -> gw.getMetadata().getNamespace().equals(r.getMetadata().getNamespace()))
                .filter(r -> r.getSpec() != null && r.getSpec().gatewayRef != null && gw.getMetadata().getName().equals(r.getSpec().gatewayRef.name))
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing((ModelRoute r) -> r.getMetadata().getCreationTimestamp() == null ? "" : r.getMetadata().getCreationTimestamp())
                        .thenComparing(r -> r.getMetadata().getName()))
                .toList();
    }

    /**
     * The outcome of each live route of {@code gw}, by ModelRoute name, oldest route first.
     *
     * @param routes  ModelRoutes that may belong to {@code gw}, from an informer
     * @param secrets the referenced Secrets, from an informer
     */
    public static Map<String, Outcome> resolve(Collection<ModelRoute> routes, ReferencedSecrets secrets, LLMGateway gw) {
        String ns = gw.getMetadata().getNamespace();
        SecretValues values = new SecretValues(secrets, ns);
        Map<String, Outcome> out = new LinkedHashMap<>();
        Map<String, String> modelOwners = new HashMap<>();
        Map<String, String> modelOfRoute = new HashMap<>();
        for (ModelRoute r : routesOf(routes, gw)) {
            ModelRouteSpec spec = r.getSpec();
            List<String> unresolved = new ArrayList<>();
            List<BackendConfig> backends = new ArrayList<>();
            for (ModelRouteSpec.Backend b : spec.backends == null ? List.<ModelRouteSpec.Backend>of() : spec.backends) {
                int before = unresolved.size();
                String apiKey = b.credentialSecretRef == null ? null
                        : values.value(b.credentialSecretRef.name, b.credentialSecretRef.key, true, unresolved);
                AwsCredentials aws = null;
                ModelRouteSpec.AwsCredentialsRef a = b.awsCredentialsSecretRef;
                if (a != null) {
                    aws = new AwsCredentials(values.value(a.name, a.accessKeyIdKey == null ? "accessKeyId" : a.accessKeyIdKey, true, unresolved),
                            values.value(a.name, a.secretAccessKeyKey == null ? "secretAccessKey" : a.secretAccessKeyKey, true, unresolved),
                            a.sessionTokenKey == null ? null : values.value(a.name, a.sessionTokenKey, true, unresolved));
                }
                if (unresolved.size() == before) {
                    backends.add(backend(r, b, apiKey, aws));
                }
            }
            List<String> names = new ArrayList<>();
            names.add(spec.model);
            names.addAll(spec.aliases == null ? List.of() : spec.aliases);
            String taken = names.stream().filter(modelOwners::containsKey).findFirst().orElse(null);
            int declared = spec.backends == null ? 0 : spec.backends.size();
            String unresolvedReason = unresolved.isEmpty() ? null : values.reason(unresolved, SECRET_NOT_FOUND);
            if (taken != null) {
                out.put(r.getMetadata().getName(), new Outcome(r, null, false, "ModelNameConflict",
                        "model name '" + taken + "' is already served by ModelRoute " + modelOwners.get(taken), unresolved, unresolvedReason, backends.size()));
                continue;
            }
            RouteSettings settings = RouteSettings.of(spec);
            if (!settings.problems().isEmpty()) {
                out.put(r.getMetadata().getName(), new Outcome(r, null, false, "InvalidSpec", String.join("; ", settings.problems()),
                        unresolved, unresolvedReason, backends.size()));
                continue;
            }
            List<String> unpriced = unpriced(spec);
            if (!unpriced.isEmpty()) {
                out.put(r.getMetadata().getName(), new Outcome(r, null, false, "UnpricedModel",
                        String.join("; ", unpriced) + "; " + HOW_TO_FIX,
                        unresolved, unresolvedReason, backends.size()));
                continue;
            }
            if (!unresolved.isEmpty()) {
                out.put(r.getMetadata().getName(), new Outcome(r, null, true, "Accepted", "route is valid", unresolved, unresolvedReason, backends.size()));
                continue;
            }
            names.forEach(n -> modelOwners.put(n, r.getMetadata().getName()));
            modelOfRoute.put(r.getMetadata().getName(), spec.model);
            RouteConfig config = settings.toConfig(spec, backends, List.of(), List.of(), List.of());
            out.put(r.getMetadata().getName(), new Outcome(r, config, true, "Accepted", "route is valid", List.of(), null, declared));
        }
        // fallbacks name other ModelRoutes; the snapshot names their models, and drops those left out
        out.replaceAll((name, o) -> {
            if (o.config() == null) {
                return o;
            }
            ModelRouteSpec spec = o.route().getSpec();
            RouteConfig config = RouteSettings.of(spec).toConfig(spec, o.config().backends(),
                    models(spec.fallbacks, name, modelOfRoute), models(spec.contextWindowFallbacks, name, modelOfRoute),
                    models(spec.contentPolicyFallbacks, name, modelOfRoute));
            return new Outcome(o.route(), config, o.accepted(), o.acceptedReason(), o.acceptedMessage(), o.unresolved(), o.unresolvedReason(),
                    o.resolvedBackends());
        });
        return out;
    }

    /** Model names of the named ModelRoutes that made it into the snapshot, without the route itself. */
    private static List<String> models(List<String> routeNames, String self, Map<String, String> modelOfRoute) {
        return (routeNames == null ? List.<String>of() : routeNames).stream()
                .filter(f -> !f.equals(self)).map(modelOfRoute::get).filter(Objects::nonNull).distinct().toList();
    }

    private static final String HOW_TO_FIX = "set the backend's pricing to { inputPerMillion: <USD>, outputPerMillion: <USD> }, "
            + "or to { free: true } for a self-hosted model";

    /** What is wrong with each backend that has no price: the gateway would record its calls at $0. */
    private static List<String> unpriced(ModelRouteSpec spec) {
        List<String> problems = new ArrayList<>();
        List<ModelRouteSpec.Backend> backends = spec.backends == null ? List.of() : spec.backends;
        for (int i = 0; i < backends.size(); i++) {
            ModelRouteSpec.Backend b = backends.get(i);
            if (b.provider != null && b.model != null && !BackendPrices.isPriced(b.provider, b.model, pricing(b), PriceCatalog.builtIn())) {
                problems.add("spec.backends[" + i + "] '" + b.name + "': " + BackendPrices.why(b.provider, b.model, PriceCatalog.builtIn()));
            }
        }
        return problems;
    }

    private static Pricing pricing(ModelRouteSpec.Backend b) {
        if (b.pricing == null) {
            return null;
        }
        if (Boolean.TRUE.equals(b.pricing.free)) {
            return Pricing.FREE;
        }
        if (b.pricing.inputPerMillion == null || b.pricing.outputPerMillion == null) {
            return null; // the CRD's rule refuses this; an older CRD may not have: unpriced, not a half price
        }
        return new Pricing(b.pricing.inputPerMillion, b.pricing.outputPerMillion, b.pricing.cachedInputPerMillion,
                b.pricing.cacheWriteInputPerMillion, b.pricing.reasoningPerMillion, null);
    }

    private static BackendConfig backend(ModelRoute r, ModelRouteSpec.Backend b, String apiKey, AwsCredentials aws) {
        Pricing pricing = pricing(b);
        boolean mock = "mock".equals(b.provider);
        // backend names are global in a snapshot: prefix with the route's (namespace-unique) name
        return new BackendConfig(r.getMetadata().getName() + "/" + b.name, b.provider, b.model,
                b.baseUrl == null ? null : URI.create(b.baseUrl), apiKey, b.weight == null ? 1 : b.weight,
                b.priority == null ? 0 : b.priority, pricing, mock ? MockSettings.defaults() : null,
                b.apiVersion, b.region, aws, b.rpm, b.tpm);
    }
}
