package dev.tollgate.operator.gateway;

import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.ConfigWriter;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.config.LedgerSettings;
import dev.tollgate.api.config.Limits;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.TeamConfig;
import dev.tollgate.api.crd.BudgetSpec;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.LimitsSpec;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.GatewayLookup;
import dev.tollgate.operator.key.KeySecret;
import dev.tollgate.operator.route.RouteResolution;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders one gateway's snapshot from its custom resources: accepted routes with resolved credentials, the keys and
 * teams of admitted namespaces (keys as hashes only), gateway settings. Suspended, expired and deleting keys are left
 * out. Database credentials are rendered as {@code ${TOLLGATE_DB_*}} references that the gateway Deployment fills from
 * the database Secret, so they are never copied into a second Secret.
 */
public final class SnapshotRenderer {

    public static final String DB_URL_ENV = "TOLLGATE_DB_URL";
    public static final String DB_USERNAME_ENV = "TOLLGATE_DB_USERNAME";
    public static final String DB_PASSWORD_ENV = "TOLLGATE_DB_PASSWORD";

    private final KubernetesClient client;

    public SnapshotRenderer(KubernetesClient client) {
        this.client = client;
    }

    /** Snapshot key name of a VirtualKey: unique across namespaces. */
    public static String keyName(HasMetadata vk) {
        return vk.getMetadata().getNamespace() + "/" + vk.getMetadata().getName();
    }

    /** Snapshot team name of a TeamBudget. */
    public static String teamName(HasMetadata tb) {
        return tb.getMetadata().getNamespace() + "/" + tb.getMetadata().getName();
    }

    public Snapshot render(LLMGateway gw, Instant now) {
        List<RouteConfig> routes = RouteResolution.resolve(client, gw).values().stream()
                .map(RouteResolution.Outcome::config).filter(Objects::nonNull).toList();
        Set<String> modelNames = new java.util.HashSet<>();
        routes.forEach(r -> {
            modelNames.add(r.model());
            modelNames.addAll(r.aliases());
        });
        List<TeamBudget> budgets = teamBudgetsOf(gw);
        List<TeamConfig> teams = budgets.stream().map(SnapshotRenderer::team).toList();
        List<KeyConfig> keys = new ArrayList<>();
        Instant nextChange = null;
        for (VirtualKey vk : virtualKeysOf(gw)) {
            Instant expires = vk.getSpec().expiresAt == null ? null : Instant.parse(vk.getSpec().expiresAt);
            if (Boolean.TRUE.equals(vk.getSpec().suspended) || (expires != null && !expires.isAfter(now))) {
                continue;
            }
            Secret secret = client.secrets().inNamespace(vk.getMetadata().getNamespace()).withName(vk.getSpec().secretNameOr(vk.getMetadata().getName())).get();
            String plain = KeySecret.plaintext(secret);
            if (plain == null) {
                continue;
            }
            List<KeyConfig.GraceHash> grace = KeySecret.graceHashes(secret, now);
            for (Instant t : concat(expires, grace.stream().map(KeyConfig.GraceHash::validUntil).toList())) {
                nextChange = nextChange == null || t.isBefore(nextChange) ? t : nextChange;
            }
            List<String> models = vk.getSpec().models == null || vk.getSpec().models.isEmpty() ? List.of("*")
                    : vk.getSpec().models.stream().filter(m -> "*".equals(m) || modelNames.contains(m)).distinct().toList();
            keys.add(new KeyConfig(keyName(vk), teamOf(vk, budgets), KeyHashes.hash(plain), grace, models, expires, false,
                    limits(vk.getSpec().limits), budget(vk.getSpec().budget)));
        }
        GatewayConfig config = new GatewayConfig(settings(gw), routes, keys, teams);
        String yaml = ConfigWriter.write(config);
        return new Snapshot(config, yaml, version(yaml), nextChange);
    }

    private List<VirtualKey> virtualKeysOf(LLMGateway gw) {
        return admitted(gw, client.resources(VirtualKey.class).inAnyNamespace().list().getItems().stream()
                .filter(vk -> vk.getSpec() != null && GatewayLookup.refersTo(vk.getSpec().gatewayRef, vk, gw)).toList());
    }

    private List<TeamBudget> teamBudgetsOf(LLMGateway gw) {
        return admitted(gw, client.resources(TeamBudget.class).inAnyNamespace().list().getItems().stream()
                .filter(tb -> tb.getSpec() != null && GatewayLookup.refersTo(tb.getSpec().gatewayRef, tb, gw)).toList());
    }

    private <T extends HasMetadata> List<T> admitted(LLMGateway gw, List<T> items) {
        Map<String, Boolean> verdicts = new HashMap<>();
        return items.stream()
                .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
                .filter(i -> verdicts.computeIfAbsent(i.getMetadata().getNamespace(), ns -> GatewayLookup.admits(client, gw, ns)))
                .sorted(Comparator.comparing(SnapshotRenderer::keyName))
                .collect(Collectors.toList());
    }

    /** The key counts towards the first TeamBudget (by name) of its namespace whose keySelector matches it. */
    static String teamOf(VirtualKey vk, List<TeamBudget> budgets) {
        return budgets.stream()
                .filter(tb -> tb.getMetadata().getNamespace().equals(vk.getMetadata().getNamespace()))
                .filter(tb -> GatewayLookup.matches(tb.getSpec().keySelector, vk.getMetadata().getLabels()))
                .map(SnapshotRenderer::teamName).findFirst().orElse(null);
    }

    private static TeamConfig team(TeamBudget tb) {
        return new TeamConfig(teamName(tb), new Budget(tb.getSpec().amountUsd, tb.getSpec().period == null ? "monthly" : tb.getSpec().period),
                limits(tb.getSpec().limits));
    }

    private static GatewaySettings settings(LLMGateway gw) {
        LLMGatewaySpec spec = gw.getSpec();
        DatabaseSettings db = spec.database == null
                ? new DatabaseSettings("jdbc:sqlite:/tmp/tollgate-ledger.db", null, null, 4)
                : new DatabaseSettings("${" + DB_URL_ENV + "}", "${" + DB_USERNAME_ENV + ":-}", "${" + DB_PASSWORD_ENV + ":-}",
                        spec.database.maxPoolSize == null ? 10 : spec.database.maxPoolSize);
        int replicas = spec.autoscaling != null ? Math.max(1, spec.autoscaling.minReplicas == null ? 1 : spec.autoscaling.minReplicas)
                : Math.max(1, spec.replicas == null ? 1 : spec.replicas);
        return new GatewaySettings("0.0.0.0", GatewayResources.PORT, null,
                spec.maxBodyBytes == null ? GatewaySettings.DEFAULT_MAX_BODY_BYTES : spec.maxBodyBytes, replicas, db,
                LedgerSettings.defaults(), spec.contentLogging == null ? dev.tollgate.api.config.ContentLogging.OFF : spec.contentLogging);
    }

    private static Limits limits(LimitsSpec l) {
        return l == null ? Limits.NONE : new Limits(l.rpm, l.tpm, l.parallel);
    }

    private static Budget budget(BudgetSpec b) {
        return b == null ? null : new Budget(b.amountUsd, b.period == null ? "monthly" : b.period);
    }

    private static List<Instant> concat(Instant first, List<Instant> rest) {
        List<Instant> all = new ArrayList<>(rest);
        if (first != null) {
            all.add(first);
        }
        return all;
    }

    static String version(String yaml) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
