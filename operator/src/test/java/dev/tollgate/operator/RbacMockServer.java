package dev.tollgate.operator;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fabric8's mock API server in CRUD mode that authorizes the operator's requests as a real API server would with the
 * chart's RBAC: a request of the operator (bearer token {@link #OPERATOR_TOKEN}) that no rule of {@link ChartRbac}
 * grants gets 403 Forbidden with a Kubernetes Status body, and is kept in {@link #refused()}. Requests without the
 * token are the test's own, as cluster admin. Discovery and SelfSubjectRulesReview are open to everyone, as the
 * default {@code system:discovery} and {@code system:basic-user} roles make them; a review answers the chart's rules.
 * Every resource request of the operator is kept in {@link #operatorRequests()}, so tests can count what it asks.
 */
final class RbacMockServer implements AutoCloseable {

    static final String OPERATOR_TOKEN = "tollgate-operator-token";

    /** What RBAC sees of a resource request. */
    record Attributes(String verb, String group, String resource, String namespace, String name) {

        /** Null for a non-resource request (discovery, /version). */
        static Attributes of(RecordedRequest request) {
            String[] pathAndQuery = request.getPath().split("\\?", 2);
            String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
            List<String> p = Arrays.stream(pathAndQuery[0].split("/")).filter(s -> !s.isEmpty()).toList();
            String group;
            List<String> rest;
            if (p.size() >= 2 && p.get(0).equals("api")) {
                group = "";
                rest = p.subList(2, p.size());
            } else if (p.size() >= 3 && p.get(0).equals("apis")) {
                group = p.get(1);
                rest = p.subList(3, p.size());
            } else {
                return null;
            }
            if (rest.isEmpty()) {
                return null;
            }
            String namespace = null;
            if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
                namespace = rest.get(1);
                rest = rest.subList(2, rest.size());
            }
            String name = rest.size() > 1 ? rest.get(1) : null;
            String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
            String verb = switch (request.getMethod()) {
                case "GET" -> name != null ? "get" : (query.matches("(.*&)?watch=(true|1)(&.*)?") ? "watch" : "list");
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name != null ? "delete" : "deletecollection";
                default -> request.getMethod().toLowerCase();
            };
            return new Attributes(verb, group, resource, namespace, name);
        }

        boolean grantedBy(PolicyRule rule) {
            return matches(rule.getApiGroups(), group) && matches(rule.getResources(), resource) && matches(rule.getVerbs(), verb)
                    && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(name));
        }

        private static boolean matches(List<String> allowed, String value) {
            return allowed != null && (allowed.contains("*") || allowed.contains(value));
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (name == null ? "" : " " + name)
                    + (namespace == null ? " (cluster scope)" : " in " + namespace);
        }
    }

    /** A resource request of the operator: what RBAC sees of it, and its path with the query (e.g. the labelSelector). */
    record Request(Attributes attributes, String path) {
    }

    private final ChartRbac rbac;
    private final Queue<Attributes> refused = new ConcurrentLinkedQueue<>();
    private final Queue<Request> operatorRequests = new ConcurrentLinkedQueue<>();
    private final KubernetesMockServer server;

    RbacMockServer(ChartRbac rbac) {
        this.rbac = rbac;
        this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return authorize(request, () -> super.dispatch(request));
                    }
                }, false);
        server.init();
    }

    private MockResponse authorize(RecordedRequest request, java.util.function.Supplier<MockResponse> granted) {
        String auth = request.getHeader("Authorization");
        Attributes a = Attributes.of(request);
        if (a == null || auth == null || !auth.equals("Bearer " + OPERATOR_TOKEN)) {
            return granted.get();
        }
        operatorRequests.add(new Request(a, java.net.URLDecoder.decode(request.getPath(), java.nio.charset.StandardCharsets.UTF_8)));
        if (a.group().equals("authorization.k8s.io") && a.resource().equals("selfsubjectrulesreviews") && a.verb().equals("create")) {
            return rulesReview(request);
        }
        if (rbac.rulesIn(a.namespace()).stream().anyMatch(a::grantedBy)) {
            return granted.get();
        }
        refused.add(a);
        String message = a.resource() + (a.group().isEmpty() ? "" : "." + a.group()) + (a.name() == null ? "" : " \"" + a.name() + "\"")
                + " is forbidden: User \"system:serviceaccount:" + rbac.releaseNamespace() + ":" + rbac.serviceAccount() + "\" cannot " + a.verb()
                + " resource \"" + a.resource() + "\" in API group \"" + a.group() + "\""
                + (a.namespace() == null ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"");
        return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
                        .withMessage(message).build()));
    }

    private MockResponse rulesReview(RecordedRequest request) {
        SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        var status = new SubjectRulesReviewStatusBuilder().withIncomplete(false);
        for (PolicyRule r : rbac.rulesIn(review.getSpec().getNamespace())) {
            status.addToResourceRules(new ResourceRuleBuilder().withApiGroups(r.getApiGroups()).withResources(r.getResources())
                    .withVerbs(r.getVerbs()).withResourceNames(r.getResourceNames()).build());
        }
        review.setStatus(status.build());
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(Serialization.asJson(review));
    }

    /** The test's own client: cluster admin. */
    KubernetesClient adminClient() {
        return server.createClient();
    }

    /** A client with the operator's service account token: every request is authorized against the chart's rules. */
    KubernetesClient operatorClient() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                .withOauthToken(OPERATOR_TOKEN).build()).build();
    }

    /** Requests of the operator that the chart's rules do not grant, in order. */
    List<Attributes> refused() {
        return List.copyOf(refused);
    }

    /** Resource requests of the operator so far, in order, the refused ones included. */
    List<Request> operatorRequests() {
        return List.copyOf(operatorRequests);
    }

    @Override
    public void close() {
        server.destroy();
    }
}
