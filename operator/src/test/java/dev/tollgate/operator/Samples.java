package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the example manifests in samples/k8s into typed objects (one per YAML document, files in name order). */
final class Samples {

    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Namespace", Namespace.class, "Secret", Secret.class, "Deployment", Deployment.class,
            "Service", Service.class, "StatefulSet", StatefulSet.class,
            "LLMGateway", LLMGateway.class, "ModelRoute", ModelRoute.class, "VirtualKey", VirtualKey.class, "TeamBudget", TeamBudget.class);

    /** One document as the typed object, with the file it came from. */
    record Document(Path file, HasMetadata object) {
    }

    private Samples() {
    }

    static Path dir() {
        return Path.of(System.getProperty("tollgate.root", ".."), "samples", "k8s");
    }

    static List<Document> load() throws IOException {
        ObjectMapper yaml = new YAMLMapper();
        List<Document> out = new ArrayList<>();
        try (var files = Files.list(dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    for (var it = yaml.readValues(parser, JsonNode.class); it.hasNext(); ) {
                        JsonNode doc = it.next();
                        if (doc == null || doc.isNull() || doc.isEmpty()) {
                            continue;
                        }
                        Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asText());
                        if (type == null) {
                            throw new IllegalStateException(f + ": kind " + doc.path("kind").asText() + " has no type in Samples.KINDS");
                        }
                        out.add(new Document(f, Serialization.jsonMapper().treeToValue(doc, type)));
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> List<T> of(List<Document> docs, Class<T> type) {
        return docs.stream().map(Document::object).filter(type::isInstance).map(o -> (T) o).toList();
    }

    /**
     * What differs from a real cluster: the API server turns stringData into data; the ledger database Secret and the
     * ModelRoutes' upstreams point at what this JVM runs.
     */
    static HasMetadata pointedAt(HasMetadata o, String jdbcUrl, String dbUser, String dbPassword, String upstreamBaseUrl) {
        if (o instanceof Secret s) {
            Map<String, String> plain = new java.util.LinkedHashMap<>(s.getStringData() == null ? Map.of() : s.getStringData());
            if ("ledger-database".equals(s.getMetadata().getName())) {
                plain.put("url", jdbcUrl);
                plain.put("username", dbUser);
                plain.put("password", dbPassword);
            }
            Map<String, String> data = new java.util.HashMap<>(s.getData() == null ? Map.of() : s.getData());
            plain.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            s.setStringData(null);
            s.setData(data);
        }
        if (o instanceof ModelRoute r) {
            r.getSpec().backends.forEach(b -> b.baseUrl = upstreamBaseUrl);
        }
        return o;
    }
}
