package dev.tollgate.operator;

import dev.tollgate.operator.gateway.LLMGatewayReconciler;
import dev.tollgate.operator.key.VirtualKeyReconciler;
import dev.tollgate.operator.route.ModelRouteReconciler;
import dev.tollgate.operator.spend.SpendTracking;
import dev.tollgate.operator.team.TeamBudgetReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/** The operator, startable in-process: {@code start(client, settings)} … {@code stop()}. */
public final class TollgateOperator implements AutoCloseable {

    public static final String LEASE_NAME = "tollgate-operator-leader";

    private final Clock clock;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AutoCloseable jvmMetrics;
    private final AtomicBoolean leading = new AtomicBoolean();
    private Operator operator;
    private SpendTracking spend;
    private String leaderIdentity;

    public TollgateOperator() {
        this(Clock.systemUTC());
    }

    public TollgateOperator(Clock clock) {
        this.clock = clock;
        Gauge.builder("tollgate.operator.healthy", this, o -> o.healthy() ? 1 : 0)
                .description("1 while the operator runs with healthy informers").register(metrics);
        jvmMetrics = OperatorMetrics.jvm(metrics);
    }

    /**
     * One of several operators in this JVM (tests): leader election runs under {@code identity}, and losing the lease
     * stops this operator's leading instead of exiting the JVM, which is what a pod does.
     */
    public TollgateOperator inProcess(String identity) {
        this.leaderIdentity = identity;
        return this;
    }

    public TollgateOperator start(KubernetesClient client, OperatorSettings settings) {
        leading.set(settings.leaderElection() == null);
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(OperatorMetrics.josdk(metrics))
                    // server-side apply off: plain JSON merge patches work on every API server, the test mock included
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false);
            if (settings.leaderElection() != null) {
                // the spend event sources run on every replica (their caches stay warm) but read the ledger only while leading
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, settings.leaderElection(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, leaderIdentity,
                        new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), leader -> { }), leaderIdentity == null));
            }
        });
        spend = settings.spendInterval().isZero() ? null : new SpendTracking(client, clock, settings.spendInterval(), leading::get, metrics);
        register(new LLMGatewayReconciler(clock, settings.gatewayImage()), settings);
        register(new ModelRouteReconciler(clock), settings);
        register(new VirtualKeyReconciler(clock, spend), settings);
        register(new TeamBudgetReconciler(clock, spend), settings);
        operator.start();
        return this;
    }

    private <P extends HasMetadata> void register(Reconciler<P> reconciler, OperatorSettings settings) {
        operator.register(reconciler, c -> {
            c.withReconciliationMaxInterval(settings.resyncInterval());
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
    }

    /** True while the operator runs and all its informers are healthy. */
    public boolean healthy() {
        Operator o = operator;
        return o != null && o.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /**
     * The operator's Prometheus registry: {@code tollgate_operator_healthy}, {@code tollgate_budget_used_ratio},
     * {@code tollgate_spend_reads_total}, JOSDK's and the JVM's.
     */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * True while this replica leads (always, without leader election): only the leader reads the ledger. A test hook:
     * leader-election tests watch it.
     */
    public boolean leading() {
        return operator != null && leading.get();
    }

    public void stop() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
        if (spend != null) {
            spend.close();
            spend = null;
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
