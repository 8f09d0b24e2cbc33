package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.ConfigWriter;
import dev.tollgate.api.config.ContentLogging;
import dev.tollgate.api.config.ContentSettings;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.Durations;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.config.LedgerSettings;
import dev.tollgate.api.config.Limits;
import dev.tollgate.api.config.RedisSettings;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.api.config.TeamConfig;
import dev.tollgate.api.config.TracingSettings;
import dev.tollgate.api.crd.BudgetSpec;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.LimitsSpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.BudgetZones;
import dev.tollgate.operator.cluster.GatewayLookup;
import dev.tollgate.operator.cluster.LedgerNames;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.key.KeySecret;
import dev.tollgate.operator.route.RouteResolution;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders one gateway's snapshot from its custom resources: accepted routes with resolved credentials, the keys and
 * teams of admitted namespaces (keys as hashes only), gateway settings. Suspended, expired and deleting keys are left
 * out, and so are keys whose budget (own or team's) names an unknown time zone. Database credentials and the Redis URL
 * are rendered as {@code ${TOLLGATE_DB_*}} / {@code ${TOLLGATE_REDIS_URL}} references that the gateway pods fill
 * from their Secrets, so they are never copied into a second Secret; the admin key is rendered as its hash only.
 * Everything it reads comes from informers: routes, keys and budgets from the caller, key Secrets and referenced
 * Secrets from caches; only {@code allowedNamespaces.from: Selector} reads a Namespace.
 */
public final class SnapshotRenderer {

    public static final String DB_URL_ENV = "TOLLGATE_DB_URL";
    public static final String DB_USERNAME_ENV = "TOLLGATE_DB_USERNAME";
    public static final String DB_PASSWORD_ENV = "TOLLGATE_DB_PASSWORD";
    public static final String REDIS_URL_ENV = "TOLLGATE_REDIS_URL";

    private final ReferencedSecrets referenced;
    private final Function<ResourceID, Optional<Secret>> keySecrets;
    private final KubernetesClient client;

    /**
     * @param referenced credential and admin-key Secrets
     * @param keySecrets the VirtualKeys' key Secrets (an informer's {@code get})
     * @param client     reads the Namespaces of {@code allowedNamespaces.from: Selector}
     */
    public SnapshotRenderer(ReferencedSecrets referenced, Function<ResourceID, Optional<Secret>> keySecrets, KubernetesClient client) {
        this.referenced = referenced;
        this.keySecrets = keySecrets;
        this.client = client;
    }



    /**
     * Renders the configuration snapshot of {@code gw} from the resources that may belong to it.
     *
     * @param routeResources ModelRoutes that may belong to {@code gw}, from the operator's informer
     * @param virtualKeys    VirtualKeys that may refer to {@code gw}, from the operator's informer (never listed across
     *                       namespaces here: with {@code watchNamespaces} the operator may only read the namespaces it
     *                       watches)
     * @param budgets        TeamBudgets that may refer to {@code gw}, likewise
     */
    public Snapshot render(LLMGateway gw, Collection<ModelRoute> routeResources, Collection<VirtualKey> virtualKeys, Collection<TeamBudget> budgets,
                           Instant now) {
        List<RouteConfig> routes = RouteResolution.resolve(routeResources, referenced, gw).values().stream()
                .map(RouteResolution.Outcome::config).filter(Objects::nonNull).toList();
        Set<String> modelNames = new HashSet<>();
        routes.forEach(r -> {
            modelNames.add(r.model());
            modelNames.addAll(r.aliases());
        });
        List<TeamBudget> teamBudgets = teamBudgetsOf(gw, budgets);
        List<TeamConfig> teams = teamBudgets.stream().filter(tb -> BudgetZones.valid(tb.getSpec().timeZone)).map(SnapshotRenderer::team).toList();
        Set<String> teamNames = teams.stream().map(TeamConfig::name).collect(Collectors.toSet());
        List<KeyConfig> keys = new ArrayList<>();
        Instant nextChange = null;
        for (VirtualKey vk : virtualKeysOf(gw, virtualKeys)) {
            Instant expires = vk.getSpec().expiresAt == null ? null : Instant.parse(vk.getSpec().expiresAt);
            if (Boolean.TRUE.equals(vk.getSpec().suspended) || (expires != null && !expires.isAfter(now))) {
                continue;
            }
            String team = teamOf(vk, teamBudgets);
            // fail closed: a key whose own or team budget cannot be applied is left out rather than unlimited
            if ((vk.getSpec().budget != null && !BudgetZones.valid(vk.getSpec().budget.timeZone)) || (team != null && !teamNames.contains(team))) {
                continue;
            }
            Secret secret = keySecrets.apply(new ResourceID(vk.getSpec().secretNameOr(vk.getMetadata().getName()), vk.getMetadata().getNamespace()))
                    .orElse(null);
            String plain = KeySecret.plaintext(secret);
            // a Secret still held by a deleted VirtualKey of the same name is not this key's: wait for its own
            if (plain == null || KeySecret.controlledByAnother(secret, vk)) {
                continue;
            }
            List<KeyConfig.GraceHash> grace = KeySecret.graceHashes(secret, now);
            for (Instant t : concat(expires, grace.stream().map(KeyConfig.GraceHash::validUntil).toList())) {
                nextChange = nextChange == null || t.isBefore(nextChange) ? t : nextChange;
            }
            List<String> models = vk.getSpec().models == null || vk.getSpec().models.isEmpty() ? List.of("*")
                    : vk.getSpec().models.stream().filter(m -> "*".equals(m) || modelNames.contains(m)).distinct().toList();
            keys.add(new KeyConfig(LedgerNames.keyName(vk), team, KeyHashes.hash(plain), grace, models, expires, false,
                    limits(vk.getSpec().limits), budget(vk.getSpec().budget), vk.getSpec().contentLogging));
        }
        List<ReferencedSecrets.Lookup> unresolved = new ArrayList<>();
        GatewayConfig config = new GatewayConfig(settings(gw, adminKeyHash(gw, unresolved)), routes, keys, teams);
        String yaml = ConfigWriter.write(withRedis(ConfigWriter.tree(config), gw));
        return new Snapshot(config, yaml, version(yaml), nextChange, List.copyOf(unresolved));
    }

    private List<VirtualKey> virtualKeysOf(LLMGateway gw, Collection<VirtualKey> keys) {
        return admitted(gw, keys.stream()
                .filter(vk -> vk.getSpec() != null && GatewayLookup.refersTo(vk.getSpec().gatewayRef, vk, gw)).toList());
    }

    private List<TeamBudget> teamBudgetsOf(LLMGateway gw, Collection<TeamBudget> budgets) {
        return admitted(gw, budgets.stream()
                .filter(tb -> tb.getSpec() != null && GatewayLookup.refersTo(tb.getSpec().gatewayRef, tb, gw)).toList());
    }

    private <T extends HasMetadata> List<T> admitted(LLMGateway gw, List<T> items) {
        Map<String, Boolean> verdicts = new HashMap<>();
        return items.stream()
                .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
                .filter(i -> verdicts.computeIfAbsent(i.getMetadata().getNamespace(), ns -> GatewayLookup.admits(client, gw, ns)))
                .sorted(Comparator.comparing(LedgerNames::keyName))
                .collect(Collectors.toList());
    }

    /** The key counts towards the first TeamBudget (by name) of its namespace whose keySelector matches it. */
    static String teamOf(VirtualKey vk, List<TeamBudget> budgets) {
        return budgets.stream()
                .filter(tb -> tb.getMetadata().getNamespace().equals(vk.getMetadata().getNamespace()))
                .filter(tb -> GatewayLookup.matches(tb.getSpec().keySelector, vk.getMetadata().getLabels()))
                .map(LedgerNames::teamName).findFirst().orElse(null);
    }

    private static TeamConfig team(TeamBudget tb) {
        // the gateway's alert metric takes percentages up to 100; higher thresholds only produce Events
        List<Integer> alerts = tb.getSpec().alertThresholds == null ? null
                : tb.getSpec().alertThresholds.stream().filter(t -> t >= 1 && t <= 100).distinct().sorted().toList();
        return new TeamConfig(LedgerNames.teamName(tb), new Budget(tb.getSpec().amountUsd, tb.getSpec().period == null ? "monthly" : tb.getSpec().period,
                BudgetZones.zone(tb.getSpec().timeZone), alerts), limits(tb.getSpec().limits));
    }

    /**
     * The hash of the admin key in {@code spec.adminKeySecretRef}; null (admin endpoints off) while it is absent, after
     * adding a missing or unlabelled Secret to {@code unresolved}.
     */
    private String adminKeyHash(LLMGateway gw, List<ReferencedSecrets.Lookup> unresolved) {
        var ref = gw.getSpec().adminKeySecretRef;
        if (ref == null) {
            return null;
        }
        ReferencedSecrets.Lookup s = referenced.find(gw.getMetadata().getNamespace(), ref.name);
        if (!s.found()) {
            unresolved.add(s);
        }
        String plain = s.value(ref.key);
        return plain == null || plain.length() < 8 ? null : KeyHashes.hash(plain);
    }

    /**
     * {@code gateway.redis}: the URL as a {@code ${TOLLGATE_REDIS_URL}} reference (a URI record cannot hold it, so the
     * tree gets it), the key prefix (default per gateway, so gateways may share one Redis) and the command timeout.
     */
    private static JsonNode withRedis(ObjectNode tree, LLMGateway gw) {
        LLMGatewaySpec spec = gw.getSpec();
        if (spec.redisUrlRef() == null) {
            return tree;
        }
        LLMGatewaySpec.Redis r = spec.redis;
        ObjectNode redis = ((ObjectNode) tree.get("gateway")).putObject("redis");
        redis.put("url", "${" + REDIS_URL_ENV + "}");
        redis.put("keyPrefix", r != null && r.keyPrefix != null ? r.keyPrefix
                : "tollgate:" + gw.getMetadata().getNamespace() + "/" + gw.getMetadata().getName() + ":");
        Duration timeout = r == null || r.timeout == null ? null : Durations.parse(r.timeout);
        redis.put("timeout", (timeout == null || timeout.isZero() ? RedisSettings.DEFAULT_TIMEOUT : timeout).toString());
        return tree;
    }

    /** Pods sharing the limits: the StatefulSet's replicas, or the autoscaler's maximum (each pod's share never too large). */
    static int replicas(LLMGatewaySpec spec) {
        if (spec.autoscaling != null) {
            return Math.max(1, spec.autoscaling.maxReplicas == null ? 1 : spec.autoscaling.maxReplicas);
        }
        return Math.max(1, spec.replicas == null ? 2 : spec.replicas);
    }

    private static GatewaySettings settings(LLMGateway gw, String adminKeyHash) {
        LLMGatewaySpec spec = gw.getSpec();
        DatabaseSettings db = spec.database == null
                ? new DatabaseSettings("jdbc:sqlite:" + GatewayResources.JOURNAL_DIR + "/ledger.db", null, null, 4)
                : new DatabaseSettings("${" + DB_URL_ENV + "}", "${" + DB_USERNAME_ENV + ":-}", "${" + DB_PASSWORD_ENV + ":-}",
                        spec.database.maxPoolSize == null ? 10 : spec.database.maxPoolSize, databaseTimeout(spec.database.timeout));
        return new GatewaySettings("0.0.0.0", GatewayResources.PORT, adminKeyHash,
                spec.maxBodyBytes == null ? GatewaySettings.DEFAULT_MAX_BODY_BYTES : spec.maxBodyBytes, replicas(spec), db,
                ledger(), spec.contentLogging == null ? ContentLogging.OFF : spec.contentLogging,
                null, spec.defaultMaxTokens == null ? GatewaySettings.DEFAULT_MAX_TOKENS : spec.defaultMaxTokens,
                content(spec.content), security(spec.security), tracing(spec.tracing));
    }

    /** The gateway's tracing block, or null (off: gateway pods get no OTEL_* variables). */
    private static TracingSettings tracing(LLMGatewaySpec.Tracing t) {
        return t == null ? null : new TracingSettings(true, URI.create(t.endpoint), t.samplingRatio, t.serviceName, Map.of());
    }

    /** Journal and spill files on the pod's journal volume (the root filesystem is read-only): a claim per pod, or an emptyDir. */
    private static LedgerSettings ledger() {
        LedgerSettings d = LedgerSettings.defaults();
        return new LedgerSettings(d.batchSize(), d.flushInterval(), d.queueCapacity(), GatewayResources.SPILL_DIR, true, 0);
    }

    private static ContentSettings content(LLMGatewaySpec.Content c) {
        ContentSettings d = ContentSettings.defaults();
        if (c == null) {
            return d;
        }
        return new ContentSettings(c.retentionDays == null ? d.retentionDays() : c.retentionDays, positive(c.purgeInterval, d.purgeInterval()),
                c.queueCapacity == null ? d.queueCapacity() : c.queueCapacity, List.of());
    }

    /** The gateway's security settings; the management port defaults to {@link GatewayResources#MANAGEMENT_PORT}. */
    static SecuritySettings security(LLMGatewaySpec.Security spec) {
        SecuritySettings d = SecuritySettings.defaults();
        LLMGatewaySpec.Security s = spec == null ? new LLMGatewaySpec.Security() : spec;
        return new SecuritySettings(s.managementPort == null ? GatewayResources.MANAGEMENT_PORT : s.managementPort,
                positive(s.shutdownGrace, d.shutdownGrace()),
                s.maxHeaderBytes == null ? d.maxHeaderBytes() : s.maxHeaderBytes, s.maxHeaders == null ? d.maxHeaders() : s.maxHeaders,
                positive(s.idleTimeout, d.idleTimeout()),
                s.minRequestBytesPerSecond == null ? d.minRequestBytesPerSecond() : s.minRequestBytesPerSecond,
                s.authFailuresPerMinute == null ? d.authFailuresPerMinute() : s.authFailuresPerMinute,
                positive(s.headerTimeout, d.headerTimeout()), s.maxConnections,
                s.maxConnectionsPerAddress == null ? d.maxConnectionsPerAddress() : s.maxConnectionsPerAddress);
    }

    /** The ledger database's wait: the default when unset or shorter than the gateway accepts. */
    private static Duration databaseTimeout(String text) {
        Duration d = positive(text, DatabaseSettings.DEFAULT_TIMEOUT);
        return d.compareTo(DatabaseSettings.MIN_TIMEOUT) < 0 ? DatabaseSettings.DEFAULT_TIMEOUT : d;
    }

    /** A schema-checked duration, or the default (an old CRD may let anything through). */
    private static Duration positive(String text, Duration fallback) {
        Duration d = text == null ? null : Durations.parse(text);
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }

    private static Limits limits(LimitsSpec l) {
        return l == null ? Limits.NONE : new Limits(l.rpm, l.tpm, l.parallel);
    }

    private static Budget budget(BudgetSpec b) {
        return b == null ? null : new Budget(b.amountUsd, b.period == null ? "monthly" : b.period, BudgetZones.zone(b.timeZone),
                b.alertPercents == null ? null : b.alertPercents.stream().distinct().sorted().toList());
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
