package dev.tollgate.gateway;

import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.pricing.PriceCatalog;
import dev.tollgate.gateway.auth.AuthFailureLimiter;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.budgets.BudgetStatuses;
import dev.tollgate.gateway.content.ContentLog;
import dev.tollgate.gateway.content.ContentStore;
import dev.tollgate.gateway.ledger.spill.LedgerDurability;
import dev.tollgate.gateway.retention.RetentionJob;
import dev.tollgate.gateway.config.ConfigFileWatcher;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.http.AdminHandlers;
import dev.tollgate.gateway.inbound.anthropic.AnthropicMessagesHandler;
import dev.tollgate.gateway.http.GatewayServer;
import dev.tollgate.gateway.http.KeyInfoHandler;
import dev.tollgate.gateway.http.ModelsHandler;
import dev.tollgate.gateway.http.Readiness;
import dev.tollgate.gateway.kube.SecretConfigWatcher;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.ledger.LedgerWriter;
import dev.tollgate.gateway.ledger.RecentRequests;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.ledger.SpendReport;
import dev.tollgate.gateway.limits.BackendCapacity;
import dev.tollgate.gateway.limits.LimitsModule;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.ModelPipeline;
import dev.tollgate.gateway.pipeline.StreamKeepAlive;
import dev.tollgate.gateway.pricing.PriceResolver;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.anthropic.AnthropicProvider;
import dev.tollgate.gateway.provider.azure.AzureOpenAiTarget;
import dev.tollgate.gateway.provider.bedrock.BedrockProvider;
import dev.tollgate.gateway.provider.cohere.CohereProvider;
import dev.tollgate.gateway.provider.compatible.ProviderCatalog;
import dev.tollgate.gateway.provider.gemini.GeminiProvider;
import dev.tollgate.gateway.provider.mistral.MistralProvider;
import dev.tollgate.gateway.provider.ollama.OllamaProvider;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.mock.MockProvider;
import dev.tollgate.gateway.provider.openai.OpenAiProvider;
import dev.tollgate.gateway.routing.AttemptWatchdog;
import dev.tollgate.gateway.routing.BackendRanking;
import dev.tollgate.gateway.routing.BackendRouter;
import dev.tollgate.gateway.routing.BackendStats;
import dev.tollgate.gateway.routing.CircuitBreakers;
import dev.tollgate.gateway.routing.RouteExecutor;
import dev.tollgate.gateway.usage.TokenCounter;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One running gateway, assembled by hand: every component is built here, in dependency order, and closed in
 * reverse. Standalone {@link Main} and tests start it the same way.
 */
public final class Gateway implements AutoCloseable {

    /** Base URL per provider id, for backends that give none ({@code {region}} is the backend's region). */
    public static final Map<String, String> DEFAULT_BASE_URLS = defaultBaseUrls();

    /** Provider ids built into this gateway. */
    public static final Set<String> PROVIDERS = providerIds();

    private final ConfigHolder config;
    private final GatewayMetrics metrics;
    private final UpstreamHttp http;
    private final LedgerDatabase database;
    private final LedgerWriter ledger;
    private final LimitsModule limits;
    private final LedgerDurability durability;
    private final ContentLog contentLog;
    private final RetentionJob retention;
    private final GatewayServer server;
    private final List<AutoCloseable> extras = new ArrayList<>();

    private Gateway(GatewayConfig initial, Clock clock) {
        this.config = new ConfigHolder(initial);
        this.metrics = new GatewayMetrics();
        this.http = new UpstreamHttp(Duration.ofSeconds(10));
        TokenCounter tokens = new TokenCounter();
        ProviderRegistry providers = new ProviderRegistry(providers(http, tokens));
        this.database = new LedgerDatabase(initial.gateway().database());
        database.bindTo(metrics.registry());
        LedgerStore store = new LedgerStore(database);
        GatewaySettings settings = initial.gateway();
        this.durability = new LedgerDurability(LedgerDurability.directory(settings.ledger(), settings.database()), store,
                settings.ledger().journal(), Duration.ofSeconds(1), metrics.registry());
        durability.recover();
        LedgerWriter.Options defaults = LedgerWriter.Options.defaults();
        this.ledger = new LedgerWriter(store, settings.ledger(), metrics.registry(), new LedgerWriter.Options(
                defaults.initialBackoff(), defaults.maxBackoff(), defaults.closeTimeout(), durability.failedBatchHandler()));
        durability.attach(ledger);
        this.contentLog = new ContentLog(config, new ContentStore(database.dataSource()), clock, metrics.registry());
        this.retention = new RetentionJob(database.dataSource(), database.dialect(), () -> config.current().source().gateway(),
                clock, metrics.registry()).start(settings.content().purgeInterval());
        Authenticator authenticator = new Authenticator(clock);
        PriceResolver prices = new PriceResolver(PriceCatalog.builtIn(), metrics);
        SpendQueries spend = new SpendQueries(database.dataSource());
        this.limits = new LimitsModule(settings, config, ledger, spend, prices::pricing, tokens, metrics.registry(), clock);
        durability.onReplayed(limits::replayed);
        BackendStats stats = new BackendStats();
        AttemptWatchdog watchdog = new AttemptWatchdog();
        extras.add(watchdog);
        RouteExecutor router = new RouteExecutor(new BackendRouter(new BackendRanking(BackendRanking.threadLocalRandom(), stats, prices::pricing),
                new CircuitBreakers(clock, metrics.registry()), limits.backendCapacity(), stats), providers, watchdog, clock);
        StreamKeepAlive keepAlive = new StreamKeepAlive(Duration.ofSeconds(1));
        extras.add(keepAlive);
        ModelPipeline pipeline = new ModelPipeline(config, authenticator, limits.admission(), router,
                prices, tokens, durability.sink(), metrics, clock, contentLog, keepAlive);
        BudgetStatuses budgets = new BudgetStatuses(spend, clock);
        AuthFailureLimiter authLimiter = new AuthFailureLimiter(settings.security().authFailuresPerMinute(), clock, metrics.registry());
        this.server = new GatewayServer(settings.host(), settings.port(), pipeline,
                new AnthropicMessagesHandler(pipeline, config, authenticator, tokens, new AnthropicProvider(http), metrics, authLimiter),
                new ModelsHandler(config, authenticator), new KeyInfoHandler(config, authenticator, budgets, spend, clock),
                new AdminHandlers(config, new SpendReport(database.dataSource()), new RecentRequests(database), budgets, clock),
                metrics, readiness(), settings.security(), authLimiter);
    }

    /**
     * Ready while the ledger takes rows and has somewhere safe to put them; the database is reported, never a reason
     * to refuse traffic (see {@link Readiness} for why).
     */
    private Readiness readiness() {
        return new Readiness(
                List.of(new Readiness.Check("ledgerQueue", ledger::acceptsRows),
                        new Readiness.Check("journalDirectory", durability::writable)),
                List.of(new Readiness.Detail("database", () -> database.isUp() ? "up" : "down"),
                        new Readiness.Detail("spillPendingRows", durability::spillPendingRows)));
    }

    /** Every built-in provider: native translators, then the OpenAI-compatible catalog. */
    private static List<Provider> providers(UpstreamHttp http, TokenCounter tokens) {
        List<Provider> list = new ArrayList<>(List.of(
                new OpenAiProvider(http),
                new MockProvider(tokens),
                new OpenAiProvider(http, AzureOpenAiTarget.ID, new AzureOpenAiTarget()),
                new AnthropicProvider(http),
                new GeminiProvider(http),
                new BedrockProvider(http),
                new CohereProvider(http),
                new MistralProvider(http),
                new OllamaProvider(http)));
        list.addAll(ProviderCatalog.providers(http));
        return list;
    }

    private static Set<String> providerIds() {
        Set<String> ids = new java.util.HashSet<>(Set.of("openai", "mock", AzureOpenAiTarget.ID, AnthropicProvider.ID, GeminiProvider.ID, BedrockProvider.ID,
                CohereProvider.ID, MistralProvider.ID, OllamaProvider.ID));
        ProviderCatalog.ENTRIES.forEach(e -> ids.add(e.id()));
        return Set.copyOf(ids);
    }

    private static Map<String, String> defaultBaseUrls() {
        Map<String, String> urls = new java.util.HashMap<>();
        urls.put("openai", "https://api.openai.com/v1");
        urls.put(AnthropicProvider.ID, AnthropicProvider.DEFAULT_BASE_URL);
        urls.put(GeminiProvider.ID, GeminiProvider.DEFAULT_BASE_URL);
        urls.put(BedrockProvider.ID, BedrockProvider.DEFAULT_BASE_URL);
        urls.put(CohereProvider.ID, CohereProvider.DEFAULT_BASE_URL);
        urls.put(MistralProvider.ID, MistralProvider.DEFAULT_BASE_URL);
        urls.put(OllamaProvider.ID, OllamaProvider.DEFAULT_BASE_URL);
        ProviderCatalog.ENTRIES.forEach(e -> urls.put(e.id(), e.baseUrl()));
        return Map.copyOf(urls);
    }

    /** Starts a gateway on an already loaded configuration. */
    public static Gateway start(GatewayConfig config, Clock clock) {
        Gateway gateway = new Gateway(config, clock);
        gateway.server.start();
        return gateway;
    }

    /** Starts a gateway from a file and re-reads the file when it changes. */
    public static Gateway start(Path configFile, Function<String, String> env, Clock clock, Duration reloadInterval) {
        ConfigLoader loader = loader(env);
        Gateway gateway = start(loader.load(configFile), clock);
        gateway.extras.add(new ConfigFileWatcher(configFile, loader, gateway.config, gateway.metrics, reloadInterval));
        return gateway;
    }

    /**
     * Cluster mode: also follow the config Secret {@code namespace/name} (key {@code dataKey}) through the
     * Kubernetes API. The file given at start stays the fallback.
     */
    public Gateway watchSecret(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String name, String dataKey,
                               Function<String, String> env) {
        extras.add(new SecretConfigWatcher(client, namespace, name, dataKey, loader(env), config, metrics));
        return this;
    }

    public static ConfigLoader loader(Function<String, String> env) {
        return new ConfigLoader(env, PROVIDERS, DEFAULT_BASE_URLS, PriceCatalog.builtIn());
    }

    public int port() {
        return server.port();
    }

    /** Port of {@code /admin} and {@code /metrics}: the management port if configured, else {@link #port()}. */
    public int managementPort() {
        return server.managementPort();
    }

    public ConfigHolder config() {
        return config;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public LedgerWriter ledger() {
        return ledger;
    }

    /** Backend rpm/tpm quotas, for the router. */
    public BackendCapacity backendCapacity() {
        return limits.backendCapacity();
    }

    public LimitsModule limits() {
        return limits;
    }

    public LedgerDatabase database() {
        return database;
    }

    /**
     * Stops accepting requests and lets in-flight ones (streams too) finish within the shutdown grace, then
     * journals and writes every ledger row (spilling what the database refuses), then releases the database.
     */
    @Override
    public void close() {
        retention.close();
        for (AutoCloseable extra : extras) {
            try {
                extra.close();
            } catch (Exception ignored) {
                // best effort on shutdown
            }
        }
        server.close();
        durability.closeJournal();
        ledger.close();
        limits.close();
        durability.close();
        contentLog.close();
        database.close();
        http.close();
    }
}
