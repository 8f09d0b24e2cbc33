package dev.tollgate.operator;

import dev.tollgate.operator.gateway.LLMGatewayReconciler;
import dev.tollgate.operator.key.VirtualKeyReconciler;
import dev.tollgate.operator.route.ModelRouteReconciler;
import dev.tollgate.operator.team.TeamBudgetReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

import dev.tollgate.operator.spend.BudgetGauges;
import dev.tollgate.operator.spend.SpendPoller;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The operator, startable in-process: {@code start(client, settings)} … {@code stop()}. */
public final class TollgateOperator implements AutoCloseable {

    public static final String LEASE_NAME = "tollgate-operator-leader";

    private final Clock clock;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AutoCloseable jvmMetrics;
    private Operator operator;
    private SpendPoller spend;
    private ScheduledExecutorService scheduler;

    public TollgateOperator() {
        this(Clock.systemUTC());
    }

    public TollgateOperator(Clock clock) {
        this.clock = clock;
        Gauge.builder("tollgate.operator.healthy", this, o -> o.healthy() ? 1 : 0)
                .description("1 while the operator runs with healthy informers").register(metrics);
        jvmMetrics = OperatorMetrics.jvm(metrics);
    }

    public TollgateOperator start(KubernetesClient client, OperatorSettings settings) {
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(OperatorMetrics.josdk(metrics))
                    // server-side apply off: plain JSON merge patches work on every API server, the test mock included
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false);
            if (settings.leaderElection() != null) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, settings.leaderElection()));
            }
        });
        register(new LLMGatewayReconciler(clock, settings.gatewayImage()), settings);
        register(new ModelRouteReconciler(clock), settings);
        register(new VirtualKeyReconciler(clock), settings);
        register(new TeamBudgetReconciler(clock), settings);
        operator.start();
        if (!settings.spendInterval().isZero()) {
            spend = new SpendPoller(client, clock, new BudgetGauges(metrics));
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("tollgate-spend").unstarted(r));
            long ms = settings.spendInterval().toMillis();
            scheduler.scheduleWithFixedDelay(spend::pollOnce, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(Reconciler<P> reconciler, OperatorSettings settings) {
        operator.register(reconciler, c -> {
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
    }

    public Operator operator() {
        return operator;
    }

    /** True while the operator runs and all its informers are healthy. */
    public boolean healthy() {
        Operator o = operator;
        return o != null && o.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** The operator's Prometheus registry: {@code tollgate_operator_healthy}, {@code tollgate_budget_used_ratio}, JOSDK's and the JVM's. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (spend != null) {
            spend.close();
            spend = null;
        }
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    @Override
    public void close() {
        stop();
        try {
            jvmMetrics.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
