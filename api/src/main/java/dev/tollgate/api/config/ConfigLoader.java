package dev.tollgate.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.api.provider.ProviderSpec;
import dev.tollgate.api.provider.ProviderSpecs;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a gateway configuration from YAML (or JSON): substitutes environment variables, rejects unknown fields,
 * validates every value and cross-reference, hashes plaintext keys, and reports all errors at once.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Function<String, String> env;
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private final Map<String, ProviderSpec> providers;
    private final boolean acceptsAnyProvider;
    private final PriceLookup prices;

    /**
     * A loader for a gateway that serves exactly {@code providers}: a backend naming another id is an error, one that
     * gives no {@code baseUrl} gets its provider's default, and each provider's required fields are checked.
     *
     * @param env    environment look-up, usually {@code System::getenv}
     * @param prices where a backend without {@code pricing} finds its price; a backend whose model it does not know is
     *               an error naming the route and the backend. Null skips that check (tools that only read a config).
     */
    public ConfigLoader(Function<String, String> env, List<ProviderSpec> providers, PriceLookup prices) {
        this.env = env;
        Map<String, ProviderSpec> byId = new HashMap<>();
        providers.forEach(p -> byId.put(p.id(), p));
        this.providers = Map.copyOf(byId);
        this.acceptsAnyProvider = false;
        this.prices = prices;
    }

    /**
     * For tools and tests that name provider ids and base URLs themselves: required fields still come from
     * {@link ProviderSpecs}; an id it does not know needs only {@code baseUrl}.
     *
     * @param env             environment look-up, usually {@code System::getenv}
     * @param knownProviders  provider ids the gateway can serve; empty accepts any
     * @param defaultBaseUrls base URL per provider id, used when a backend gives none; {@code {region}} in it is
     *                        replaced by the backend's {@code region}
     * @param prices          see {@link #ConfigLoader(Function, List, PriceLookup)}
     */
    public ConfigLoader(Function<String, String> env, Set<String> knownProviders, Map<String, String> defaultBaseUrls,
                        PriceLookup prices) {
        this.env = env;
        Set<String> ids = new HashSet<>(knownProviders);
        if (knownProviders.isEmpty()) {
            ProviderSpecs.ALL.forEach(p -> ids.add(p.id()));
        }
        Map<String, ProviderSpec> byId = new HashMap<>();
        for (String id : ids) {
            ProviderSpec known = ProviderSpecs.byId(id).orElse(null);
            byId.put(id, known == null
                    ? new ProviderSpec(id, id, defaultBaseUrls.get(id), List.of(), Set.of(), ProviderSpec.Auth.BEARER, ProviderSpec.Family.NATIVE)
                    : new ProviderSpec(id, known.name(), defaultBaseUrls.get(id), known.required(), known.capabilities(), known.auth(),
                    known.family()));
        }
        this.providers = Map.copyOf(byId);
        this.acceptsAnyProvider = knownProviders.isEmpty();
        this.prices = prices;
    }

    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(text);
    }

    public GatewayConfig parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException(List.of("(document): not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of("(document): must be a mapping with gateway, routes, keys and teams"));
        }
        List<String> errors = new ArrayList<>();
        new EnvSubstitution(env, errors).apply(root, "");
        ConfigNode doc = new ConfigNode(root, "", errors);
        doc.allowOnly(Set.of("gateway", "routes", "keys", "teams", "alerts"));
        GatewaySettings gateway = readGateway(doc.object("gateway") == null ? new ConfigNode(YAML.createObjectNode(), "gateway", errors) : doc.object("gateway"));
        List<RouteConfig> routes = doc.list("routes", this::readRoute);
        List<TeamConfig> teams = doc.list("teams", this::readTeam);
        List<KeyConfig> keys = doc.list("keys", this::readKey);
        AlertSettings alerts = doc.object("alerts", this::readAlerts);
        crossCheck(routes, keys, teams, errors);
        if (prices != null) {
            checkPrices(routes, errors);
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new GatewayConfig(gateway, routes, keys, teams, alerts);
    }

    private AlertSettings readAlerts(ConfigNode n) {
        n.allowOnly(Set.of("webhooks", "queueCapacity", "maxAttempts", "retryBackoff", "timeout", "redeliverAfter"));
        List<WebhookConfig> webhooks = n.list("webhooks", this::readWebhook);
        Integer capacity = n.integer("queueCapacity", 1, 1_000_000);
        Integer attempts = n.integer("maxAttempts", 1, 100);
        Backoff backoff = n.object("retryBackoff", this::readBackoff);
        Duration timeout = n.duration("timeout", AlertSettings.DEFAULT_TIMEOUT);
        if (timeout != null && timeout.isZero()) {
            n.error("timeout", "must be longer than 0");
        }
        Duration redeliver = n.duration("redeliverAfter", AlertSettings.DEFAULT_REDELIVER_AFTER);
        if (redeliver != null && redeliver.isZero()) {
            n.error("redeliverAfter", "must be longer than 0");
        }
        return new AlertSettings(webhooks, capacity == null ? AlertSettings.DEFAULT_QUEUE_CAPACITY : capacity,
                attempts == null ? AlertSettings.DEFAULT_MAX_ATTEMPTS : attempts, backoff == null ? AlertSettings.DEFAULT_BACKOFF : backoff,
                timeout, redeliver);
    }

    private WebhookConfig readWebhook(ConfigNode n) {
        n.allowOnly(Set.of("url", "format", "headers", "thresholds"));
        // A webhook URL is often a credential itself (Slack's are): the message does not repeat it.
        URI url = n.credentialUrl("url", ConfigNode.HTTP, "must be an absolute http(s) URL");
        WebhookFormat format = n.enumValue("format", WebhookFormat.class, WebhookFormat.JSON);
        Map<String, String> headers = n.stringMap("headers", "[!#$%&'*+.^_`|~0-9A-Za-z-]+");
        List<Integer> thresholds = n.integers("thresholds", 1, 100);
        return url == null ? null : new WebhookConfig(url, format, headers, thresholds);
    }

    private GatewaySettings readGateway(ConfigNode n) {
        n.allowOnly(Set.of("host", "port", "adminKey", "adminKeyHash", "maxBodyBytes", "replicas", "database", "ledger", "contentLogging",
                "redis", "defaultMaxTokens", "content", "security", "tracing"));
        String host = n.has("host") ? n.string("host", true) : "0.0.0.0";
        Integer port = n.integer("port", 0, 65535);
        Long maxBody = n.longValue("maxBodyBytes", 1024, 1L << 31);
        Integer replicas = n.integer("replicas", 1, 10_000);
        String adminHash = keyHash(n, "adminKey", "adminKeyHash", false);
        ConfigNode db = n.object("database");
        DatabaseSettings database = db == null ? new DatabaseSettings("jdbc:sqlite:tollgate.db", null, null, 4) : readDatabase(db);
        ConfigNode ledgerNode = n.object("ledger");
        LedgerSettings ledger = ledgerNode == null ? LedgerSettings.defaults() : readLedger(ledgerNode);
        ContentLogging logging = n.enumValue("contentLogging", ContentLogging.class, ContentLogging.OFF);
        RedisSettings redis = n.object("redis", this::readRedis);
        Integer defaultMaxTokens = n.integer("defaultMaxTokens", 1, 10_000_000);
        ContentSettings content = n.object("content") == null ? ContentSettings.defaults() : readContent(n.object("content"));
        SecuritySettings security = n.object("security") == null ? SecuritySettings.defaults() : readSecurity(n.object("security"));
        TracingSettings tracing = n.object("tracing", this::readTracing);
        int apiPort = port == null ? 4000 : port;
        if (security.managementPort() != null && security.managementPort() != 0 && security.managementPort() == apiPort) {
            n.error("security", "managementPort must differ from port (both " + apiPort + ")");
        }
        return new GatewaySettings(host, apiPort, adminHash,
                maxBody == null ? GatewaySettings.DEFAULT_MAX_BODY_BYTES : maxBody,
                replicas == null ? 1 : replicas, database, ledger, logging, redis,
                defaultMaxTokens == null ? GatewaySettings.DEFAULT_MAX_TOKENS : defaultMaxTokens, content, security, tracing);
    }

    private TracingSettings readTracing(ConfigNode n) {
        n.allowOnly(Set.of("enabled", "endpoint", "samplingRatio", "serviceName", "headers"));
        BigDecimal ratio = n.decimal("samplingRatio", false);
        if (ratio != null && ratio.compareTo(BigDecimal.ONE) > 0) {
            n.error("samplingRatio", "must be between 0 and 1 (was " + ratio.toPlainString() + ")");
            ratio = null;
        }
        return new TracingSettings(n.bool("enabled", true), n.httpUrl("endpoint", false), ratio == null ? null : ratio.doubleValue(),
                n.has("serviceName") ? n.string("serviceName", true) : null, n.stringMap("headers"));
    }

    private RedisSettings readRedis(ConfigNode n) {
        n.allowOnly(Set.of("url", "keyPrefix", "timeout"));
        // The URL may hold a password: the message does not repeat it.
        URI uri = n.credentialUrl("url", Set.of("redis", "rediss"), "must be redis://host:port or rediss://host:port");
        String prefix = n.has("keyPrefix") ? n.string("keyPrefix", true) : RedisSettings.DEFAULT_KEY_PREFIX;
        Duration timeout = n.duration("timeout", RedisSettings.DEFAULT_TIMEOUT);
        if (timeout != null && timeout.isZero()) {
            n.error("timeout", "must be longer than 0");
        }
        return new RedisSettings(uri, prefix, timeout);
    }

    private ContentSettings readContent(ConfigNode n) {
        n.allowOnly(Set.of("retentionDays", "purgeInterval", "queueCapacity", "redactPatterns"));
        ContentSettings d = ContentSettings.defaults();
        Integer days = n.integer("retentionDays", 0, 36_500);
        Integer capacity = n.integer("queueCapacity", 1, 10_000_000);
        Duration interval = n.duration("purgeInterval", d.purgeInterval());
        if (interval.isZero()) {
            n.error("purgeInterval", "must be positive");
        }
        List<ContentSettings.RedactPattern> patterns = n.list("redactPatterns", p -> {
            p.allowOnly(Set.of("name", "regex"));
            String name = p.string("name", true);
            if (name != null && !name.matches("[A-Za-z0-9_-]{1,40}")) {
                p.error("name", "must be 1 to 40 letters, digits, '_' or '-' (was '" + name + "')");
            }
            String regex = p.string("regex", true);
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    p.error("regex", "is not a valid regular expression: " + e.getDescription());
                }
            }
            return new ContentSettings.RedactPattern(name, regex);
        });
        return new ContentSettings(days == null ? d.retentionDays() : days, interval,
                capacity == null ? d.queueCapacity() : capacity, patterns);
    }

    private SecuritySettings readSecurity(ConfigNode n) {
        n.allowOnly(Set.of("managementPort", "shutdownGrace", "maxHeaderBytes", "maxHeaders", "idleTimeout",
                "minRequestBytesPerSecond", "authFailuresPerMinute", "headerTimeout", "maxConnections", "maxConnectionsPerAddress"));
        SecuritySettings d = SecuritySettings.defaults();
        Integer mgmt = n.integer("managementPort", 0, 65535);
        Integer headerBytes = n.integer("maxHeaderBytes", 1024, 1024 * 1024);
        Integer headers = n.integer("maxHeaders", 8, 10_000);
        Long rate = n.longValue("minRequestBytesPerSecond", 0, 1L << 30);
        Integer authFailures = n.integer("authFailuresPerMinute", 0, 1_000_000);
        Duration idle = n.duration("idleTimeout", d.idleTimeout());
        if (idle.isZero()) {
            n.error("idleTimeout", "must be positive");
        }
        Duration headerTimeout = n.duration("headerTimeout", d.headerTimeout());
        if (headerTimeout.isZero()) {
            n.error("headerTimeout", "must be positive");
        }
        Integer maxConnections = n.integer("maxConnections", 1, 10_000_000);
        Integer perAddress = n.integer("maxConnectionsPerAddress", 0, 10_000_000);
        return new SecuritySettings(mgmt, n.duration("shutdownGrace", d.shutdownGrace()),
                headerBytes == null ? d.maxHeaderBytes() : headerBytes, headers == null ? d.maxHeaders() : headers, idle,
                rate == null ? d.minRequestBytesPerSecond() : rate, authFailures == null ? d.authFailuresPerMinute() : authFailures,
                headerTimeout, maxConnections, perAddress == null ? d.maxConnectionsPerAddress() : perAddress);
    }

    private DatabaseSettings readDatabase(ConfigNode n) {
        n.allowOnly(Set.of("url", "username", "password", "maxPoolSize", "timeout"));
        String url = n.string("url", true);
        if (url != null && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            n.error("url", "must start with jdbc:sqlite: or jdbc:postgresql: (was '" + url + "')");
        }
        Integer pool = n.integer("maxPoolSize", 1, 1000);
        Duration timeout = n.duration("timeout", DatabaseSettings.DEFAULT_TIMEOUT);
        if (timeout.compareTo(DatabaseSettings.MIN_TIMEOUT) < 0) {
            n.error("timeout", "must be at least 250ms (was '" + n.string("timeout", false) + "')");
            timeout = DatabaseSettings.DEFAULT_TIMEOUT;
        }
        return new DatabaseSettings(url, n.string("username", false), n.string("password", false), pool == null ? 10 : pool,
                timeout);
    }

    private LedgerSettings readLedger(ConfigNode n) {
        n.allowOnly(Set.of("batchSize", "flushInterval", "queueCapacity", "spillDirectory", "journal", "retentionDays"));
        LedgerSettings d = LedgerSettings.defaults();
        Integer batch = n.integer("batchSize", 1, 100_000);
        Integer capacity = n.integer("queueCapacity", 1, 10_000_000);
        Integer days = n.integer("retentionDays", 0, 36_500);
        return new LedgerSettings(batch == null ? d.batchSize() : batch, n.duration("flushInterval", d.flushInterval()),
                capacity == null ? d.queueCapacity() : capacity, n.string("spillDirectory", false),
                n.bool("journal", d.journal()), days == null ? d.retentionDays() : days);
    }

    private RouteConfig readRoute(ConfigNode n) {
        n.allowOnly(Set.of("model", "aliases", "backends", "strategy", "retries", "backoff", "timeout", "timeouts",
                "circuitBreaker", "fallbacks", "contextWindowFallbacks", "contentPolicyFallbacks", "firstTokenFallbackAfter",
                "dropUnsupportedParams"));
        String model = n.string("model", true);
        List<BackendConfig> backends = n.list("backends", this::readBackend);
        if (!n.has("backends") || (backends.isEmpty() && n.has("backends"))) {
            n.error("backends", "must list at least one backend");
        }
        RoutingStrategy strategy = RoutingStrategy.WEIGHTED;
        String strategyName = n.string("strategy", false);
        if (strategyName != null) {
            strategy = RoutingStrategy.fromConfigName(strategyName);
            if (strategy == null) {
                n.error("strategy", "must be one of " + RoutingStrategy.configNames() + " (was '" + strategyName + "')");
            }
        }
        Integer retries = n.integer("retries", 0, 10);
        List<String> fallbacks = n.strings("fallbacks");
        Duration firstTokenFallbackAfter = positiveDuration(n, "firstTokenFallbackAfter", null);
        if (firstTokenFallbackAfter != null && fallbacks.isEmpty()) {
            n.error("firstTokenFallbackAfter", "needs at least one route in fallbacks");
        }
        return new RouteConfig(model, n.strings("aliases"), backends, strategy, retries == null ? 0 : retries,
                n.object("backoff", this::readBackoff), readTimeouts(n), n.object("circuitBreaker", this::readCircuitBreaker),
                fallbacks, n.strings("contextWindowFallbacks"), n.strings("contentPolicyFallbacks"), firstTokenFallbackAfter,
                n.bool("dropUnsupportedParams", false));
    }

    private Backoff readBackoff(ConfigNode n) {
        n.allowOnly(Set.of("initial", "max", "multiplier", "jitter"));
        Backoff d = Backoff.DEFAULT;
        Duration initial = positiveDuration(n, "initial", d.initial());
        Duration max = positiveDuration(n, "max", d.max().compareTo(initial) < 0 ? initial : d.max());
        if (max.compareTo(initial) < 0) {
            n.error("max", "must not be shorter than initial (" + initial + ")");
        }
        BigDecimal multiplier = n.decimal("multiplier", false);
        if (multiplier != null && (multiplier.compareTo(BigDecimal.ONE) < 0 || multiplier.compareTo(BigDecimal.TEN) > 0)) {
            n.error("multiplier", "must be between 1 and 10 (was " + multiplier.toPlainString() + ")");
        }
        BigDecimal jitter = n.decimal("jitter", false);
        if (jitter != null && jitter.compareTo(BigDecimal.ONE) >= 0) {
            n.error("jitter", "must be at least 0 and below 1 (was " + jitter.toPlainString() + ")");
        }
        return new Backoff(initial, max, multiplier == null ? d.multiplier() : multiplier.doubleValue(),
                jitter == null ? d.jitter() : jitter.doubleValue());
    }

    /** {@code timeouts}, or the older single {@code timeout} (= {@code timeouts.request}); not both. */
    private Timeouts readTimeouts(ConfigNode route) {
        Timeouts d = Timeouts.DEFAULT;
        Duration single = positiveDuration(route, "timeout", null);
        ConfigNode n = route.object("timeouts");
        if (n == null) {
            return single == null ? d : new Timeouts(d.connect(), single, null, null);
        }
        if (single != null) {
            route.error("timeout", "give either timeout or timeouts.request, not both");
        }
        n.allowOnly(Set.of("connect", "request", "firstToken", "idle"));
        Duration request = positiveDuration(n, "request", single == null ? d.request() : single);
        Duration firstToken = positiveDuration(n, "firstToken", null);
        if (firstToken != null && firstToken.compareTo(request) > 0) {
            n.error("firstToken", "must not be longer than request (" + request + ")");
        }
        return new Timeouts(positiveDuration(n, "connect", d.connect()), request, firstToken, positiveDuration(n, "idle", null));
    }

    private CircuitBreakerSettings readCircuitBreaker(ConfigNode n) {
        n.allowOnly(Set.of("failureThreshold", "cooldown", "halfOpenProbes"));
        CircuitBreakerSettings d = CircuitBreakerSettings.DEFAULT;
        Integer threshold = n.integer("failureThreshold", 0, 1000);
        Integer probes = n.integer("halfOpenProbes", 1, 100);
        return new CircuitBreakerSettings(threshold == null ? d.failureThreshold() : threshold,
                positiveDuration(n, "cooldown", d.cooldown()), probes == null ? d.halfOpenProbes() : probes);
    }

    private static Duration positiveDuration(ConfigNode n, String name, Duration fallback) {
        if (!n.has(name)) {
            return fallback;
        }
        Duration d = n.duration(name, null);
        if (d == null) {
            return fallback; // already reported
        }
        if (d.isZero()) {
            n.error(name, "must be longer than zero");
            return fallback;
        }
        return d;
    }

    private BackendConfig readBackend(ConfigNode n) {
        n.allowOnly(Set.of("name", "provider", "model", "baseUrl", "apiKey", "weight", "priority", "pricing", "mock",
                "apiVersion", "region", "aws", "rpm", "tpm"));
        String provider = n.string("provider", true);
        ProviderSpec spec = provider == null ? null : providers.get(provider);
        if (provider != null && spec == null && !acceptsAnyProvider) {
            n.error("provider", "unknown provider '" + provider + "' (known: " + String.join(", ", providers.keySet().stream().sorted().toList()) + ")");
        }
        String model = n.string("model", true);
        String name = n.has("name") ? n.string("name", true) : (provider + "/" + model);
        String defaultUrl = spec == null ? null : spec.defaultBaseUrl();
        String region = n.string("region", false);
        if (region != null && !AWS_REGION.matcher(region).matches()) {
            n.error("region", "must be a region name such as us-east-1 (was '" + region + "')");
            region = null;
        }
        URI baseUrl = n.httpUrl("baseUrl", spec == null || spec.needsBaseUrl());
        if (baseUrl == null && defaultUrl != null && !n.has("baseUrl")) {
            if (defaultUrl.contains("{region}")) {
                if (region == null && !n.has("region")) {
                    n.error("region", "is required for provider '" + provider + "' (or give baseUrl)");
                }
                baseUrl = region == null ? null : URI.create(defaultUrl.replace("{region}", region));
            } else {
                baseUrl = URI.create(defaultUrl);
            }
        }
        String apiVersion = n.string("apiVersion", false);
        AwsCredentials aws = n.object("aws", this::readAws);
        if (spec != null) {
            for (ProviderSpec.RequiredField field : spec.required()) {
                if (!n.has(field.field())) {
                    n.error(field.field(), "is required for provider '" + provider + "' (" + field.hint() + ")");
                }
            }
        }
        Integer weight = n.integer("weight", 0, 1000);
        Integer priority = n.integer("priority", 0, 1000);
        Pricing pricing = n.object("pricing", this::readPricing);
        MockSettings mock = n.object("mock", this::readMock);
        if (mock == null && spec != null && spec.family() == ProviderSpec.Family.IN_PROCESS) {
            mock = MockSettings.defaults();
        }
        return new BackendConfig(name, provider, model, baseUrl, n.string("apiKey", false),
                weight == null ? 1 : weight, priority == null ? 0 : priority, pricing, mock, apiVersion, region, aws,
                n.integer("rpm", 1, Integer.MAX_VALUE), n.integer("tpm", 1, Integer.MAX_VALUE));
    }

    private AwsCredentials readAws(ConfigNode n) {
        n.allowOnly(Set.of("accessKeyId", "secretAccessKey", "sessionToken"));
        return new AwsCredentials(n.string("accessKeyId", true), n.string("secretAccessKey", true), n.string("sessionToken", false));
    }

    private static final Set<String> PRICES = Set.of("inputPerMillion", "outputPerMillion", "cachedInputPerMillion",
            "cacheWriteInputPerMillion", "reasoningPerMillion");

    /** Prices, or {@code free: true} (a self-hosted model: zero, and said so on purpose). */
    private Pricing readPricing(ConfigNode n) {
        Set<String> allowed = new HashSet<>(PRICES);
        allowed.add("free");
        allowed.add("longContext");
        n.allowOnly(allowed);
        if (n.bool("free", false)) {
            if (PRICES.stream().anyMatch(n::has) || n.has("longContext")) {
                n.error("free", "give either free: true or prices, not both");
            }
            return Pricing.FREE;
        }
        return new Pricing(n.decimal("inputPerMillion", true), n.decimal("outputPerMillion", true), n.decimal("cachedInputPerMillion", false),
                n.decimal("cacheWriteInputPerMillion", false), n.decimal("reasoningPerMillion", false),
                n.object("longContext", this::readLongContext));
    }

    private Pricing.LongContext readLongContext(ConfigNode n) {
        Set<String> allowed = new HashSet<>(PRICES);
        allowed.add("aboveInputTokens");
        n.allowOnly(allowed);
        Long above = n.longValue("aboveInputTokens", 1, Long.MAX_VALUE);
        if (above == null && !n.has("aboveInputTokens")) {
            n.error("aboveInputTokens", "is required");
        }
        return new Pricing.LongContext(above == null ? Long.MAX_VALUE : above, new Pricing(n.decimal("inputPerMillion", true),
                n.decimal("outputPerMillion", true), n.decimal("cachedInputPerMillion", false),
                n.decimal("cacheWriteInputPerMillion", false), n.decimal("reasoningPerMillion", false), null));
    }

    private MockSettings readMock(ConfigNode n) {
        n.allowOnly(Set.of("chunkDelay", "words"));
        Integer words = n.integer("words", 1, 100_000);
        return new MockSettings(n.duration("chunkDelay", Duration.ZERO), words == null ? MockSettings.defaults().words() : words);
    }

    private KeyConfig readKey(ConfigNode n) {
        n.allowOnly(Set.of("name", "team", "key", "keyHash", "graceHashes", "models", "expiresAt", "suspended", "limits", "budget", "contentLogging"));
        String name = n.string("name", true);
        String hash = keyHash(n, "key", "keyHash", true);
        List<KeyConfig.GraceHash> grace = n.list("graceHashes", g -> {
            g.allowOnly(Set.of("keyHash", "validUntil"));
            String h = g.string("keyHash", true);
            if (h != null && !KeyHashes.isWellFormed(h)) {
                g.error("keyHash", "must be sha256: followed by 64 lower-case hex digits");
            }
            Instant until = g.instant("validUntil");
            if (until == null && !g.has("validUntil")) {
                g.error("validUntil", "is required");
            }
            return new KeyConfig.GraceHash(h, until);
        });
        List<String> models = n.has("models") ? n.strings("models") : List.of("*");
        Limits limits = n.object("limits", this::readLimits);
        return new KeyConfig(name, n.string("team", false), hash, grace, models, n.instant("expiresAt"),
                n.bool("suspended", false), limits == null ? Limits.NONE : limits, n.object("budget", this::readBudget),
                n.enumValue("contentLogging", ContentLogging.class, null));
    }

    private TeamConfig readTeam(ConfigNode n) {
        n.allowOnly(Set.of("name", "budget", "limits"));
        Limits limits = n.object("limits", this::readLimits);
        return new TeamConfig(n.string("name", true), n.object("budget", this::readBudget), limits == null ? Limits.NONE : limits);
    }

    private Limits readLimits(ConfigNode n) {
        n.allowOnly(Set.of("rpm", "tpm", "parallel"));
        return new Limits(n.integer("rpm", 1, Integer.MAX_VALUE), n.integer("tpm", 1, Integer.MAX_VALUE), n.integer("parallel", 1, 1_000_000));
    }

    private Budget readBudget(ConfigNode n) {
        n.allowOnly(Set.of("amountUsd", "period", "timeZone", "alertPercents"));
        String period = n.has("period") ? n.string("period", true) : "monthly";
        if (period != null && !BudgetPeriods.isValid(period)) {
            n.error("period", "must be daily, weekly, monthly or a duration such as 12h (was '" + period + "')");
        }
        ZoneId zone = ZoneOffset.UTC;
        String zoneName = n.string("timeZone", false);
        if (zoneName != null) {
            try {
                zone = ZoneId.of(zoneName);
            } catch (DateTimeException e) {
                n.error("timeZone", "unknown time zone '" + zoneName + "' (use a region such as Europe/Berlin, or UTC)");
            }
        }
        List<Integer> alerts = n.has("alertPercents") ? n.integers("alertPercents", 1, 100) : Budget.DEFAULT_ALERT_PERCENTS;
        return new Budget(n.decimal("amountUsd", true), period, zone, alerts);
    }

    /** Reads either a plaintext key (hashed now, plaintext dropped) or a ready hash. */
    private static String keyHash(ConfigNode n, String plainField, String hashField, boolean required) {
        boolean hasPlain = n.has(plainField);
        boolean hasHash = n.has(hashField);
        if (hasPlain && hasHash) {
            n.error(plainField, "give either " + plainField + " or " + hashField + ", not both");
            return null;
        }
        if (hasPlain) {
            String plain = n.string(plainField, true);
            if (plain != null && plain.length() < 8) {
                n.error(plainField, "must be at least 8 characters");
                return null;
            }
            return plain == null ? null : KeyHashes.hash(plain);
        }
        if (hasHash) {
            String hash = n.string(hashField, true);
            if (hash != null && !KeyHashes.isWellFormed(hash)) {
                n.error(hashField, "must be sha256: followed by 64 lower-case hex digits");
                return null;
            }
            return hash;
        }
        if (required) {
            n.error(plainField, "is required (or " + hashField + ")");
        }
        return null;
    }

    private static void crossCheck(List<RouteConfig> routes, List<KeyConfig> keys, List<TeamConfig> teams, List<String> errors) {
        Map<String, String> modelNames = new HashMap<>();
        Set<String> backendNames = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            List<String> names = new ArrayList<>();
            names.add(r.model());
            names.addAll(r.aliases());
            for (String name : names) {
                if (name != null && modelNames.putIfAbsent(name, "routes[" + i + "]") != null) {
                    errors.add("routes[" + i + "]: model name '" + name + "' is already used by " + modelNames.get(name));
                }
            }
            for (int b = 0; b < r.backends().size(); b++) {
                String bn = r.backends().get(b).name();
                if (bn != null && !backendNames.add(bn)) {
                    errors.add("routes[" + i + "].backends[" + b + "].name: backend name '" + bn + "' is used twice");
                }
            }
        }
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            checkFallbacks(i, "fallbacks", r.fallbacks(), modelNames, errors);
            checkFallbacks(i, "contextWindowFallbacks", r.contextWindowFallbacks(), modelNames, errors);
            checkFallbacks(i, "contentPolicyFallbacks", r.contentPolicyFallbacks(), modelNames, errors);
        }
        Set<String> teamNames = new HashSet<>();
        for (int i = 0; i < teams.size(); i++) {
            if (teams.get(i).name() != null && !teamNames.add(teams.get(i).name())) {
                errors.add("teams[" + i + "].name: team '" + teams.get(i).name() + "' is defined twice");
            }
        }
        Set<String> keyNames = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            KeyConfig k = keys.get(i);
            if (k.name() != null && !keyNames.add(k.name())) {
                errors.add("keys[" + i + "].name: key '" + k.name() + "' is defined twice");
            }
            if (k.keyHash() != null && !hashes.add(k.keyHash())) {
                errors.add("keys[" + i + "]: the same key is already given to another key entry");
            }
            if (k.team() != null && !teams.isEmpty() && !teamNames.contains(k.team())) {
                errors.add("keys[" + i + "].team: no team named '" + k.team() + "'");
            }
            for (int m = 0; m < k.models().size(); m++) {
                String model = k.models().get(m);
                if (!"*".equals(model) && !modelNames.containsKey(model)) {
                    errors.add("keys[" + i + "].models[" + m + "]: no route named '" + model + "'");
                }
            }
        }
    }

    /** A backend whose model has no price anywhere would be recorded at $0 and never meet a budget: refused. */
    private void checkPrices(List<RouteConfig> routes, List<String> errors) {
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            for (int b = 0; b < r.backends().size(); b++) {
                BackendConfig backend = r.backends().get(b);
                if (backend.provider() == null || backend.model() == null
                        || BackendPrices.isPriced(backend.provider(), backend.model(), backend.pricing(), prices)) {
                    continue; // a missing provider or model is reported already
                }
                errors.add("routes[" + i + "].backends[" + b + "]: backend '" + backend.name() + "' of route '" + r.model() + "': "
                        + BackendPrices.why(backend.provider(), backend.model(), prices) + "; " + BackendPrices.HOW_TO_FIX);
            }
        }
    }

    private static void checkFallbacks(int route, String field, List<String> names, Map<String, String> modelNames,
                                       List<String> errors) {
        String own = "routes[" + route + "]";
        for (int f = 0; f < names.size(); f++) {
            String fb = names.get(f);
            String where = own + "." + field + "[" + f + "]: ";
            if (!modelNames.containsKey(fb)) {
                errors.add(where + "no route named '" + fb + "'");
            } else if (own.equals(modelNames.get(fb))) {
                errors.add(where + "'" + fb + "' is this route itself");
            }
        }
    }
}
