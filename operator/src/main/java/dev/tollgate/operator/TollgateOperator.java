package dev.tollgate.operator;

import dev.tollgate.operator.gateway.LLMGatewayReconciler;
import dev.tollgate.operator.key.VirtualKeyReconciler;
import dev.tollgate.operator.route.ModelRouteReconciler;
import dev.tollgate.operator.team.TeamBudgetReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

import java.time.Clock;

/** The operator, startable in-process: {@code start(client, settings)} … {@code stop()}. */
public final class TollgateOperator implements AutoCloseable {

    public static final String LEASE_NAME = "tollgate-operator-leader";

    private final Clock clock;
    private Operator operator;

    public TollgateOperator() {
        this(Clock.systemUTC());
    }

    public TollgateOperator(Clock clock) {
        this.clock = clock;
    }

    public TollgateOperator start(KubernetesClient client, OperatorSettings settings) {
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // server-side apply off: plain JSON merge patches work on every API server, the test mock included
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false);
            if (settings.leaderElection() != null) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, settings.leaderElection()));
            }
        });
        register(new LLMGatewayReconciler(clock), settings);
        register(new ModelRouteReconciler(clock), settings);
        register(new VirtualKeyReconciler(clock), settings);
        register(new TeamBudgetReconciler(clock), settings);
        operator.start();
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

    public void stop() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
