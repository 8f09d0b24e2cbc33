package dev.tollgate.gateway;

import dev.tollgate.api.alerts.WebhookSender;
import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.pricing.PriceCatalog;
import dev.tollgate.api.provider.ProviderSpec;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.alerts.AlertDispatcher;
import dev.tollgate.gateway.auth.AuthFailureLimiter;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.budgets.BudgetStatuses;
import dev.tollgate.gateway.config.ConfigFileWatcher;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.content.ContentLog;
import dev.tollgate.gateway.content.ContentStore;
import dev.tollgate.gateway.http.AdminHandlers;
import dev.tollgate.gateway.http.GatewayServer;
import dev.tollgate.gateway.http.KeyInfoHandler;
import dev.tollgate.gateway.http.ModelsHandler;
import dev.tollgate.gateway.http.Readiness;
import dev.tollgate.gateway.inbound.anthropic.AnthropicMessagesHandler;
import dev.tollgate.gateway.kube.SecretConfigWatcher;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.ledger.LedgerWriter;
import dev.tollgate.gateway.ledger.RecentRequests;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.ledger.SpendReport;
import dev.tollgate.gateway.ledger.spill.LedgerDurability;
import dev.tollgate.gateway.limits.BackendCapacity;
import dev.tollgate.gateway.limits.LimitsModule;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.ModelPipeline;
import dev.tollgate.gateway.pipeline.StreamKeepAlive;
import dev.tollgate.gateway.pricing.PriceResolver;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.builtin.BuiltInProviders;
import dev.tollgate.gateway.recording.CallRecorder;
import dev.tollgate.gateway.retention.RetentionJob;
import dev.tollgate.gateway.routing.AttemptWatchdog;
import dev.tollgate.gateway.routing.BackendRanking;
import dev.tollgate.gateway.routing.BackendRouter;
import dev.tollgate.gateway.routing.BackendStats;
import dev.tollgate.gateway.routing.CircuitBreakers;
import dev.tollgate.gateway.routing.RouteExecutor;
import dev.tollgate.gateway.tracing.RequestTracer;
import dev.tollgate.gateway.tracing.Tracers;
import dev.tollgate.gateway.usage.TokenCounter;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One running gateway, assembled by hand: every component is built here, in dependency order, and closed in
 * reverse. Standalone {@link Main} and tests start it the same way.
 */
public final class Gateway implements AutoCloseable {

    /** Provider ids built into this gateway: those of {@link ProviderSpecs#ALL}. */
    public static final Set<String> PROVIDERS = ProviderSpecs.ALL.stream().map(ProviderSpec::id).collect(Collectors.toUnmodifiableSet());

    private final ConfigHolder config;
    private final GatewayMetrics metrics;
    private final UpstreamHttp http;
    private final LedgerDatabase database;
    private final LedgerWriter ledger;
    private final LimitsModule limits;
    private final AlertDispatcher alerts;
    private final LedgerDurability durability;
    private final ContentLog contentLog;
    private final RetentionJob retention;
    private final GatewayServer server;
    private final RequestTracer tracer;
    private final List<AutoCloseable> extras = new ArrayList<>();

    private Gateway(GatewayConfig initial, Clock clock, RequestTracer tracer) {
        this.tracer = tracer;
        this.config = new ConfigHolder(initial);
        this.metrics = new GatewayMetrics();
        this.http = new UpstreamHttp(Duration.ofSeconds(10));
        TokenCounter tokens = new TokenCounter();
        ProviderRegistry providers = BuiltInProviders.registry(http, tokens);
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
        this.alerts = new AlertDispatcher(() -> config.current().source().alerts(), database.dataSource(),
                WebhookSender.create(Duration.ofSeconds(10)), clock, metrics.registry());
        limits.onBudgetCrossing(alerts::crossed);
        BackendStats stats = new BackendStats();
        AttemptWatchdog watchdog = new AttemptWatchdog();
        extras.add(watchdog);
        RouteExecutor router = new RouteExecutor(new BackendRouter(new BackendRanking(BackendRanking.threadLocalRandom(), stats, prices::pricing),
                new CircuitBreakers(clock, metrics.registry()), limits.backendCapacity(), stats), providers, watchdog, clock);
        StreamKeepAlive keepAlive = new StreamKeepAlive(Duration.ofSeconds(1));
        extras.add(keepAlive);
        ModelPipeline pipeline = new ModelPipeline(config, authenticator, limits.admission(), router, tokens,
                new CallRecorder(durability.sink(), prices, metrics, contentLog), clock, keepAlive, tracer);
        BudgetStatuses budgets = new BudgetStatuses(spend, clock);
        AuthFailureLimiter authLimiter = new AuthFailureLimiter(settings.security().authFailuresPerMinute(), clock, metrics.registry());
        this.server = new GatewayServer(settings.host(), settings.port(), pipeline,
                new AnthropicMessagesHandler(pipeline, config, authenticator, tokens, providers, metrics, authLimiter),
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

    /**
     * Starts a gateway on an already loaded configuration; tracing as its settings and the process's OTEL_* variables say.
     * A test hook: {@link Main} starts from a file.
     */
    public static Gateway start(GatewayConfig config, Clock clock) {
        return start(config, clock, Tracers.create(config.gateway().tracing(), System::getenv));
    }

    /**
     * Starts a gateway that traces requests with {@code tracer} (closed with the gateway), and logs the startup block
     * ({@link StartupLog}).
     */
    public static Gateway start(GatewayConfig config, Clock clock, RequestTracer tracer) {
        Gateway gateway = new Gateway(config, clock, tracer);
        gateway.server.start();
        GatewaySettings s = config.gateway();
        StartupLog.log(new StartupLog.Facts(s, gateway.port(), gateway.managementPort(),
                LedgerDurability.directory(s.ledger(), s.database()), tracer.describe()));
        return gateway;
    }

    /** Starts a gateway from a file and re-reads the file when it changes. */
    public static Gateway start(Path configFile, Function<String, String> env, Clock clock, Duration reloadInterval) {
        ConfigLoader loader = loader(env);
        GatewayConfig config = loader.load(configFile);
        Gateway gateway = start(config, clock, Tracers.create(config.gateway().tracing(), env));
        gateway.extras.add(new ConfigFileWatcher(configFile, loader, gateway.config, gateway.metrics, reloadInterval));
        return gateway;
    }

    /**
     * Cluster mode: also follow the config Secret {@code namespace/name} (key {@code dataKey}) through the
     * Kubernetes API. The file given at start stays the fallback.
     */
    public Gateway watchSecret(KubernetesClient client, String namespace, String name, String dataKey,
                               Function<String, String> env) {
        extras.add(new SecretConfigWatcher(client, namespace, name, dataKey, loader(env), config, metrics));
        return this;
    }

    public static ConfigLoader loader(Function<String, String> env) {
        return new ConfigLoader(env, ProviderSpecs.ALL, PriceCatalog.builtIn());
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

    // Test hooks: the end-to-end tests read a running gateway's parts through these four; nothing in main code does.

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
        tracer.close();
        durability.closeJournal();
        ledger.close();
        limits.close();
        alerts.close();
        durability.close();
        contentLog.close();
        database.close();
        http.close();
    }
}
