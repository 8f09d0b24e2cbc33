package dev.tollgate.operator.spend;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Spend from the gateways' ledger databases, delivered to the VirtualKey and TeamBudget reconcilers as JOSDK polling
 * event sources (one per kind, {@link #eventSource}); the reconcilers alone write status. Shared by both: the
 * connection pools, the budget gauges, the {@code tollgate_spend_reads_total} counter, and whether this replica leads
 * (only the leader reads the ledger).
 */
public final class SpendTracking implements AutoCloseable {

    /**
     * While spend does not change, {@code status.spendAsOf} moves forward this often, not on every poll: each move is a
     * status write per resource (1000 keys polled every 15 s would be 66 writes a second).
     */
    public static final Duration AS_OF_REFRESH = Duration.ofMinutes(5);
    /** Longest wait between two attempts at a ledger that keeps failing (never shorter than the interval). */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    final KubernetesClient client;
    final Clock clock;
    final Duration interval;
    final BooleanSupplier leading;
    final Ledgers ledgers;
    final BudgetGauges gauges;
    private final MeterRegistry registry;

    /**
     * @param interval how often each kind's source polls
     * @param leading  whether this replica leads; the other replicas poll nothing
     */
    public SpendTracking(KubernetesClient client, Clock clock, Duration interval, BooleanSupplier leading, MeterRegistry registry) {
        this.client = client;
        this.clock = clock;
        this.interval = interval;
        this.leading = leading;
        this.ledgers = new Ledgers();
        this.gauges = new BudgetGauges(registry);
        this.registry = registry;
    }

    /**
     * The spend event source of one kind: every {@code interval} it reads the spend of all primaries it knows from
     * their gateways' ledgers and raises an event for each primary whose {@link LedgerSpend} changed.
     *
     * @param gateways  the reconciler's LLMGateway informer (gateways are never read from the API server here)
     * @param databases the reconciler's informer of referenced Secrets ({@link ReferencedSecrets#informer}): the
     *                  ledger database Secrets are read from it
     */
    public <P extends HasMetadata> PollingEventSource<LedgerSpend, P, String> eventSource(EventSourceContext<P> context,
            BudgetSubject.Kind kind, InformerEventSource<LLMGateway, P> gateways, InformerEventSource<Secret, P> databases,
            Function<P, BudgetSubject> subject) {
        ReferencedSecrets secrets = new ReferencedSecrets(id -> databases.isRunning() ? databases.get(id) : Optional.empty(), client);
        SpendFetcher<P> fetcher = new SpendFetcher<>(this, kind, () -> context.getPrimaryCache().list(), id -> gateway(gateways, id), secrets, subject);
        return new PollingEventSource<>(LedgerSpend.class, new PollingConfigurationBuilder<LedgerSpend, String>(fetcher, interval)
                .withName("spend").withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper()).build());
    }

    /**
     * A gateway from the informer, or none while the informer has not started: event sources start in parallel, and
     * this one polls once as it starts (a lookup then threw and failed the operator's start; the next poll finds it).
     */
    private static <P extends HasMetadata> Optional<LLMGateway> gateway(InformerEventSource<LLMGateway, P> gateways, ResourceID id) {
        return gateways.isRunning() ? gateways.get(id) : Optional.empty();
    }

    /** How often each kind's source polls. */
    public Duration interval() {
        return interval;
    }

    /** Delay before attempt {@code failures + 1}: the interval, doubled per failure, at most {@link #MAX_BACKOFF}. */
    Duration backoff(int failures) {
        Duration max = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
        Duration d = interval.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(max) > 0 ? max : d;
    }

    void countRead(LLMGateway gw, boolean ok) {
        Counter.builder("tollgate.spend.reads").description("Reads of a gateway's ledger database by the spend poller")
                .tag("gateway_namespace", gw.getMetadata().getNamespace()).tag("gateway", gw.getMetadata().getName())
                .tag("result", ok ? "ok" : "failed").register(registry).increment();
    }

    @Override
    public void close() {
        ledgers.close();
    }
}
