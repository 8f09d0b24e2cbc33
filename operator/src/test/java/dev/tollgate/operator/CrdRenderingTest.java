package dev.tollgate.operator;

import dev.tollgate.api.config.AwsCredentials;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Backoff;
import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.CircuitBreakerSettings;
import dev.tollgate.api.config.ContentLogging;
import dev.tollgate.api.config.ContentSettings;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RedisSettings;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.RoutingStrategy;
import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.api.config.TeamConfig;
import dev.tollgate.api.config.Timeouts;
import dev.tollgate.api.config.TracingSettings;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.ModelRouteSpec;
import dev.tollgate.api.crd.ProviderIds;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.operator.cluster.Labels;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.gateway.Snapshot;
import dev.tollgate.operator.gateway.SnapshotRenderer;
import dev.tollgate.operator.route.RouteResolution;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trip of every setting the CRDs carry: custom resources in the (mock) API server → {@link SnapshotRenderer} →
 * snapshot YAML → the gateway's own {@link dev.tollgate.api.config.ConfigLoader} → the expected records. Each test
 * uses its own namespace.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CrdRenderingTest {

    static KubernetesClient client;

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Map<String, String> ENV = Map.of("TOLLGATE_REDIS_URL", "redis://:s3cret@redis.platform.svc:6379/2",
            "TOLLGATE_DB_URL", "jdbc:postgresql://ledger.platform.svc/tollgate");

    private Snapshot render(String ns, LLMGateway gw) {
        return new SnapshotRenderer(referenced(), CrdRenderingTest::secret, client).render(client.resource(gw).get(),
                client.resources(ModelRoute.class).inAnyNamespace().list().getItems(),
                client.resources(VirtualKey.class).inAnyNamespace().list().getItems(),
                client.resources(TeamBudget.class).inAnyNamespace().list().getItems(), NOW);
    }

    private static Map<String, RouteResolution.Outcome> resolve(LLMGateway gw) {
        LLMGateway live = client.resource(gw).get();
        return RouteResolution.resolve(client.resources(ModelRoute.class).inNamespace(live.getMetadata().getNamespace()).list().getItems(),
                referenced(), live);
    }

    /** A Secret as the key-Secret informer holds it: the tests write key Secrets by hand. */
    private static Optional<Secret> secret(ResourceID id) {
        return Optional.ofNullable(client.secrets().inNamespace(id.getNamespace().orElseThrow()).withName(id.getName()).get());
    }

    /** The referenced Secrets as the operator's informer holds them: labelled ones only. */
    private static ReferencedSecrets referenced() {
        return new ReferencedSecrets(id -> secret(id).filter(s -> "true".equals(s.getMetadata().getLabels().get(Labels.WATCH))), client);
    }

    /** What a gateway pod loads: the pod's environment fills the references. */
    private static GatewayConfig load(Snapshot s) {
        return Gateway.loader(ENV::get).parse(s.yaml());
    }

    private static LLMGateway gateway(String ns) {
        LLMGateway gw = MockCluster.gateway(ns, "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        client.resource(gw).create();
        return gw;
    }

    private static ModelRoute route(String ns, String name, String model) {
        return MockCluster.mockRoute(ns, name, "gw", model);
    }

    private static RouteConfig route(GatewayConfig c, String model) {
        return c.routes().stream().filter(r -> r.model().equals(model)).findFirst().orElseThrow();
    }

    private static ModelRouteSpec.Backend backend(String name, String provider, String model) {
        ModelRouteSpec.Backend b = new ModelRouteSpec.Backend();
        b.name = name;
        b.provider = provider;
        b.model = model;
        return b;
    }

    @Test
    void routeResilienceSettingsReachTheGatewayAsConfigured() {
        LLMGateway gw = gateway("r1");
        client.resource(route("r1", "big", "big-model")).create();
        client.resource(route("r1", "safe", "safe-model")).create();
        client.resource(route("r1", "cheap", "cheap-model")).create();
        ModelRoute main = route("r1", "main", "main-model");
        ModelRouteSpec s = main.getSpec();
        s.strategy = RoutingStrategy.LOWEST_LATENCY;
        s.retries = 3;
        s.backoff = new ModelRouteSpec.BackoffSpec();
        s.backoff.initial = "100ms";
        s.backoff.max = "2s";
        s.backoff.multiplier = 3.0;
        s.backoff.jitter = 0.25;
        s.timeouts = new ModelRouteSpec.TimeoutsSpec();
        s.timeouts.connect = "2s";
        s.timeouts.request = "90s";
        s.timeouts.firstToken = "5s";
        s.timeouts.idle = "20s";
        s.circuitBreaker = new ModelRouteSpec.CircuitBreakerSpec();
        s.circuitBreaker.failureThreshold = 7;
        s.circuitBreaker.cooldown = "1m";
        s.circuitBreaker.halfOpenProbes = 2;
        s.fallbacks = List.of("cheap", "main", "missing");
        s.contextWindowFallbacks = List.of("big");
        s.contentPolicyFallbacks = List.of("safe");
        s.firstTokenFallbackAfter = "3s";
        s.dropUnsupportedParams = true;
        client.resource(main).create();

        RouteConfig r = route(load(render("r1", gw)), "main-model");

        assertThat(r.strategy()).isEqualTo(RoutingStrategy.LOWEST_LATENCY);
        assertThat(r.retries()).isEqualTo(3);
        assertThat(r.backoff()).isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 3.0, 0.25));
        assertThat(r.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(90), Duration.ofSeconds(5), Duration.ofSeconds(20)));
        assertThat(r.circuitBreaker()).isEqualTo(new CircuitBreakerSettings(7, Duration.ofMinutes(1), 2));
        assertThat(r.fallbacks()).as("ModelRoute names become model names; itself and unknown routes are dropped").containsExactly("cheap-model");
        assertThat(r.contextWindowFallbacks()).containsExactly("big-model");
        assertThat(r.contentPolicyFallbacks()).containsExactly("safe-model");
        assertThat(r.firstTokenFallbackAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(r.dropUnsupportedParams()).isTrue();
    }

    @Test
    void absentSettingsTakeTheGatewayDefaultsAndTheLegacyTimeoutStillWorks() {
        LLMGateway gw = gateway("r2");
        ModelRoute plain = route("r2", "plain", "plain-model");
        plain.getSpec().timeout = "45s";
        client.resource(plain).create();

        RouteConfig r = route(load(render("r2", gw)), "plain-model");

        assertThat(r.strategy()).isEqualTo(RoutingStrategy.WEIGHTED);
        assertThat(r.backoff()).isEqualTo(Backoff.DEFAULT);
        assertThat(r.circuitBreaker()).isEqualTo(CircuitBreakerSettings.DEFAULT);
        assertThat(r.timeouts()).isEqualTo(new Timeouts(Timeouts.DEFAULT.connect(), Duration.ofSeconds(45), null, null));
        assertThat(r.dropUnsupportedParams()).isFalse();
    }

    @Test
    void firstTokenFallbackIsDroppedWhenNoFallbackRouteMadeItIntoTheSnapshot() {
        LLMGateway gw = gateway("r3");
        ModelRoute r = route("r3", "lonely", "lonely-model");
        r.getSpec().fallbacks = List.of("not-there");
        r.getSpec().firstTokenFallbackAfter = "2s";
        client.resource(r).create();

        RouteConfig c = route(load(render("r3", gw)), "lonely-model");

        assertThat(c.fallbacks()).isEmpty();
        assertThat(c.firstTokenFallbackAfter()).as("the gateway would refuse the whole snapshot otherwise").isNull();
    }

    @Test
    void routeTheGatewayWouldRefuseIsLeftOutWithTheReason() {
        LLMGateway gw = gateway("r4");
        ModelRoute r = route("r4", "odd", "odd-model");
        r.getSpec().timeouts = new ModelRouteSpec.TimeoutsSpec();
        r.getSpec().timeouts.request = "10s";
        r.getSpec().timeouts.firstToken = "30s";
        client.resource(r).create();
        client.resource(route("r4", "fine", "fine-model")).create();

        Snapshot s = render("r4", gw);
        RouteResolution.Outcome o = resolve(gw).get("odd");

        assertThat(load(s).routes()).extracting(RouteConfig::model).containsExactly("fine-model");
        assertThat(o.accepted()).isFalse();
        assertThat(o.acceptedReason()).isEqualTo("InvalidSpec");
        assertThat(o.acceptedMessage()).contains("spec.timeouts.firstToken");
    }

    @Test
    void providerSettingsAndQuotasReachTheBackends() {
        LLMGateway gw = gateway("p1");
        client.resource(MockCluster.secret("p1", "azure-cred", Map.of("key", "az-secret-key"))).create();
        client.resource(MockCluster.secret("p1", "aws-cred", Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "aws-secret-value", "AWS_SESSION_TOKEN", "aws-session-value"))).create();
        client.resource(MockCluster.secret("p1", "groq-cred", Map.of("key", "gsk-value"))).create();
        ModelRoute r = route("p1", "multi", "multi-model");
        ModelRouteSpec.Backend az = backend("az", "azure", "my-gpt4o-deployment");
        az.baseUrl = "https://myres.openai.azure.com";
        az.apiVersion = "2024-10-21";
        az.credentialSecretRef = CrdRefs.secretKeyRef("azure-cred", "key");
        az.rpm = 600;
        az.tpm = 90000;
        az.pricing = new ModelRouteSpec.PricingSpec(); // a deployment name is no catalogued model: priced here
        az.pricing.inputPerMillion = new BigDecimal("2.5");
        az.pricing.outputPerMillion = new BigDecimal("10");
        ModelRouteSpec.Backend br = backend("br", "bedrock", "anthropic.claude-3-haiku-20240307-v1:0");
        br.region = "eu-central-1";
        br.awsCredentialsSecretRef = new ModelRouteSpec.AwsCredentialsRef();
        br.awsCredentialsSecretRef.name = "aws-cred";
        br.awsCredentialsSecretRef.accessKeyIdKey = "AWS_ACCESS_KEY_ID";
        br.awsCredentialsSecretRef.secretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";
        br.awsCredentialsSecretRef.sessionTokenKey = "AWS_SESSION_TOKEN";
        ModelRouteSpec.Backend groq = backend("fast", "groq", "llama-3.3-70b-versatile");
        groq.credentialSecretRef = CrdRefs.secretKeyRef("groq-cred", "key");
        r.getSpec().backends = List.of(az, br, groq);
        client.resource(r).create();

        Snapshot s = render("p1", gw);
        List<BackendConfig> backends = route(load(s), "multi-model").backends();

        assertThat(backends.get(0)).isEqualTo(new BackendConfig("multi/az", "azure", "my-gpt4o-deployment",
                URI.create("https://myres.openai.azure.com"), "az-secret-key", 1, 0,
                new Pricing(new BigDecimal("2.5"), new BigDecimal("10"), null, null), null, "2024-10-21", null, null, 600, 90000));
        assertThat(backends.get(1).region()).isEqualTo("eu-central-1");
        assertThat(backends.get(1).baseUrl()).isEqualTo(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"));
        assertThat(backends.get(1).aws()).isEqualTo(new AwsCredentials("AKIAEXAMPLE", "aws-secret-value", "aws-session-value"));
        assertThat(backends.get(2).baseUrl()).as("catalog provider: the gateway's default URL").isEqualTo(URI.create("https://api.groq.com/openai/v1"));
        assertThat(backends.get(2).apiKey()).isEqualTo("gsk-value");
        assertThat(s.config().routes().get(0).backends().toString()).as("records never print credentials")
                .doesNotContain("az-secret-key", "aws-secret-value", "aws-session-value", "gsk-value");
    }

    @Test
    void missingOrEnvExpandingCredentialLeavesTheRouteOutNamingOnlySecretAndKey() {
        LLMGateway gw = gateway("p2");
        client.resource(MockCluster.secret("p2", "aws-cred", Map.of("accessKeyId", "AKIAEXAMPLE"))).create();
        client.resource(MockCluster.secret("p2", "sneaky", Map.of("key", "${TOLLGATE_DB_PASSWORD}"))).create();
        ModelRoute bedrock = route("p2", "br", "br-model");
        ModelRouteSpec.Backend br = backend("br", "bedrock", "anthropic.claude-3-haiku-20240307-v1:0");
        br.region = "us-east-1";
        br.awsCredentialsSecretRef = new ModelRouteSpec.AwsCredentialsRef();
        br.awsCredentialsSecretRef.name = "aws-cred";
        bedrock.getSpec().backends = List.of(br);
        client.resource(bedrock).create();
        ModelRoute sneaky = route("p2", "sn", "sn-model");
        ModelRouteSpec.Backend o = backend("o", "openai", "gpt-4o");
        o.credentialSecretRef = CrdRefs.secretKeyRef("sneaky", "key");
        sneaky.getSpec().backends = List.of(o);
        client.resource(sneaky).create();

        Snapshot s = render("p2", gw);
        Map<String, RouteResolution.Outcome> outcomes = resolve(gw);

        assertThat(s.config().routes()).isEmpty();
        assertThat(outcomes.get("br").unresolved()).containsExactly("Secret p2/aws-cred has no key secretAccessKey");
        assertThat(outcomes.get("sn").unresolved()).singleElement().asString().contains("Secret p2/sneaky key key contains '${'")
                .doesNotContain("TOLLGATE_DB_PASSWORD");
        assertThat(s.yaml()).doesNotContain("AKIAEXAMPLE", "TOLLGATE_DB_PASSWORD");
    }

    @Test
    void gatewaySettingsRenderRedisAsAReferenceTheAdminKeyAsAHashAndTheAutoscalerMaximumAsReplicas() {
        LLMGateway gw = MockCluster.gateway("g1", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        LLMGatewaySpec spec = gw.getSpec();
        spec.autoscaling = new LLMGatewaySpec.Autoscaling();
        spec.autoscaling.minReplicas = 2;
        spec.autoscaling.maxReplicas = 8;
        spec.redis = new LLMGatewaySpec.Redis();
        spec.redis.urlSecretRef = CrdRefs.secretKeyRef("redis", "url");
        spec.redis.timeout = "100ms";
        spec.adminKeySecretRef = CrdRefs.secretKeyRef("admin", "key");
        spec.defaultMaxTokens = 2048;
        spec.contentLogging = ContentLogging.REDACTED;
        client.resource(MockCluster.secret("g1", "admin", Map.of("key", "admin-key-0123456789"))).create();
        client.resource(gw).create();

        Snapshot s = render("g1", gw);
        GatewaySettings g = load(s).gateway();

        assertThat(s.yaml()).contains("${TOLLGATE_REDIS_URL}").doesNotContain("s3cret", "admin-key-0123456789");
        assertThat(g.redis().url()).isEqualTo(URI.create(ENV.get("TOLLGATE_REDIS_URL")));
        assertThat(g.redis().keyPrefix()).as("per gateway by default").isEqualTo("tollgate:g1/gw:");
        assertThat(g.redis().timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(g.adminKeyHash()).isEqualTo(KeyHashes.hash("admin-key-0123456789"));
        assertThat(g.replicas()).as("HPA maximum: a per-pod share never too large").isEqualTo(8);
        assertThat(g.defaultMaxTokens()).isEqualTo(2048);
        assertThat(g.contentLogging()).isEqualTo(ContentLogging.REDACTED);
    }

    @Test
    void redisShorthandAndFixedReplicasRenderToo() {
        LLMGateway gw = MockCluster.gateway("g2", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().replicas = 3;
        gw.getSpec().redisUrlSecretRef = CrdRefs.secretKeyRef("redis", "url");
        client.resource(gw).create();

        GatewaySettings g = load(render("g2", gw)).gateway();

        assertThat(g.redis()).isEqualTo(new RedisSettings(URI.create(ENV.get("TOLLGATE_REDIS_URL")), "tollgate:g2/gw:", RedisSettings.DEFAULT_TIMEOUT));
        assertThat(g.replicas()).isEqualTo(3);
        assertThat(g.adminKeyHash()).as("no admin key Secret: admin endpoints off").isNull();
        assertThat(g.defaultMaxTokens()).isEqualTo(GatewaySettings.DEFAULT_MAX_TOKENS);
        assertThat(g.ledger().spillDirectory()).as("journal and spill on the pod's volume, not the read-only root")
                .isEqualTo("/var/lib/tollgate/spill");
        assertThat(g.ledger().journal()).isTrue();
    }

    @Test
    void securityAndContentSettingsAndAKeysContentPolicyReachTheGateway() {
        LLMGateway gw = MockCluster.gateway("g3", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        LLMGatewaySpec.Security sec = new LLMGatewaySpec.Security();
        sec.managementPort = 9090;
        sec.shutdownGrace = "45s";
        sec.maxHeaderBytes = 8192;
        sec.maxHeaders = 50;
        sec.idleTimeout = "2m";
        sec.minRequestBytesPerSecond = 0L;
        sec.authFailuresPerMinute = 10;
        sec.headerTimeout = "5s";
        sec.maxConnections = 8000;
        sec.maxConnectionsPerAddress = 100;
        gw.getSpec().security = sec;
        gw.getSpec().content = new LLMGatewaySpec.Content();
        gw.getSpec().content.retentionDays = 7;
        gw.getSpec().content.purgeInterval = "15m";
        gw.getSpec().content.queueCapacity = 500;
        client.resource(gw).create();
        VirtualKey vk = MockCluster.virtualKey("g3", "audited", "g3", "gw");
        vk.getSpec().contentLogging = ContentLogging.FULL;
        client.resource(vk).create();
        client.resource(MockCluster.secret("g3", "audited-key", Map.of("key", "sk-tg-audited-material"))).create();

        GatewayConfig c = load(render("g3", gw));

        assertThat(c.gateway().security()).isEqualTo(new SecuritySettings(9090, Duration.ofSeconds(45), 8192, 50, Duration.ofMinutes(2), 0, 10,
                Duration.ofSeconds(5), 8000, 100));
        assertThat(c.gateway().content()).isEqualTo(new ContentSettings(7, Duration.ofMinutes(15), 500, List.of()));
        assertThat(c.keys().getFirst().contentLogging()).isEqualTo(ContentLogging.FULL);
    }

    @Test
    void theDatabaseTimeoutReachesTheGatewayAndDefaultsToFiveSeconds() {
        LLMGateway gw = MockCluster.gateway("d1", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().database = new LLMGatewaySpec.Database();
        gw.getSpec().database.secretName = "ledger-db";
        gw.getSpec().database.maxPoolSize = 6;
        gw.getSpec().database.timeout = "2s";
        client.resource(gw).create();

        DatabaseSettings db = load(render("d1", gw)).gateway().database();
        assertThat(db.url()).isEqualTo(ENV.get("TOLLGATE_DB_URL"));
        assertThat(db.maxPoolSize()).isEqualTo(6);
        assertThat(db.timeout()).isEqualTo(Duration.ofSeconds(2));

        LLMGateway unset = MockCluster.gateway("d2", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        unset.getSpec().database = new LLMGatewaySpec.Database();
        unset.getSpec().database.secretName = "ledger-db";
        client.resource(unset).create();
        assertThat(load(render("d2", unset)).gateway().database().timeout()).isEqualTo(DatabaseSettings.DEFAULT_TIMEOUT);
    }

    @Test
    void tracingReachesTheGatewayAndIsAbsentWithoutIt() {
        LLMGateway gw = MockCluster.gateway("t1", "gw", LLMGatewaySpec.AllowedNamespaces.From.Same);
        gw.getSpec().tracing = new LLMGatewaySpec.Tracing();
        gw.getSpec().tracing.endpoint = "http://otel-collector.observability:4318/v1/traces";
        gw.getSpec().tracing.samplingRatio = 0.05;
        client.resource(gw).create();

        assertThat(load(render("t1", gw)).gateway().tracing()).isEqualTo(new TracingSettings(true,
                URI.create("http://otel-collector.observability:4318/v1/traces"), 0.05, null, Map.of()));
        assertThat(load(render("t2", gateway("t2"))).gateway().tracing()).isNull();
    }

    @Test
    void budgetsCarryTimeZoneAndAlertPercents() {
        LLMGateway gw = gateway("b1");
        TeamBudget tb = MockCluster.teamBudget("b1", "team", "b1", "gw", "100");
        tb.getSpec().timeZone = "America/New_York";
        tb.getSpec().alertThresholds = List.of(150, 90, 50);
        client.resource(tb).create();
        VirtualKey vk = MockCluster.virtualKey("b1", "app", "b1", "gw");
        vk.getSpec().budget = CrdRefs.budget(new BigDecimal("5"), "daily");
        vk.getSpec().budget.timeZone = "Europe/Berlin";
        vk.getSpec().budget.alertPercents = List.of(100, 75);
        client.resource(vk).create();
        client.resource(MockCluster.secret("b1", "app-key", Map.of("key", "sk-tg-app-key-material"))).create();

        GatewayConfig c = load(render("b1", gw));

        KeyConfig k = c.keys().getFirst();
        assertThat(k.budget()).isEqualTo(new Budget(new BigDecimal("5"), "daily", ZoneId.of("Europe/Berlin"), List.of(75, 100)));
        assertThat(k.team()).isEqualTo("b1/team");
        TeamConfig t = c.teams().getFirst();
        assertThat(t.budget()).as("thresholds above 100 only produce Events")
                .isEqualTo(new Budget(new BigDecimal("100"), "monthly", ZoneId.of("America/New_York"), List.of(50, 90)));
    }

    @Test
    void unknownTimeZoneLeavesTheBudgetHolderOutRatherThanUnlimited() {
        LLMGateway gw = gateway("b2");
        TeamBudget tb = MockCluster.teamBudget("b2", "team", "b2", "gw", "100");
        tb.getSpec().timeZone = "Mars/Olympus_Mons";
        client.resource(tb).create();
        client.resource(MockCluster.virtualKey("b2", "member", "b2", "gw")).create();
        client.resource(MockCluster.secret("b2", "member-key", Map.of("key", "sk-tg-member-material"))).create();

        GatewayConfig c = load(render("b2", gw));

        assertThat(c.teams()).isEmpty();
        assertThat(c.keys()).as("the team's key would otherwise spend without its team budget").isEmpty();
        assertThat(new Budget(BigDecimal.ONE, "monthly", ZoneOffset.UTC, Budget.DEFAULT_ALERT_PERCENTS).timeZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void crdProviderIdsAreExactlyTheGatewaysProviders() {
        Matcher m = Pattern.compile("'([^']+)'").matcher(ProviderIds.rule());
        List<String> ids = m.results().map(r -> r.group(1)).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.stream().collect(Collectors.toSet())).as("the CRD's provider rule and the gateway know the same providers")
                .isEqualTo(Gateway.PROVIDERS);
    }
}
