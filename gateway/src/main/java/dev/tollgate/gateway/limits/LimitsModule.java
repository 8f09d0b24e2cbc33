package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerWriter;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.usage.TokenCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Limits and budgets assembled: the fleet counters (Redis or per-pod shares), the budget tracker fed by the ledger,
 * the admission stage and the backend quotas. Built once per gateway; Redis settings are read at start.
 */
public final class LimitsModule implements AutoCloseable {

    /**
     * The limit stage counts this many characters of a request's prompt whole and scales the rest (see
     * {@link TokenCounter#sampling}): counting a 10,000-token prompt whole took 3 ms on the request path.
     */
    static final int PROMPT_SAMPLE_CHARS = 1024;

    /** How often a pod that lost Redis checks whether it is back. */
    static final Duration REDIS_PROBE_INTERVAL = Duration.ofMillis(500);

    private final FleetCounters counters;
    private final BudgetTracker budgets;
    private final LimitsAdmissionControl admission;
    private final BackendQuotas backends;

    public LimitsModule(GatewaySettings settings, ConfigHolder config, LedgerWriter ledger, SpendQueries spend,
                        Function<BackendConfig, Pricing> prices, TokenCounter tokens, MeterRegistry registry, Clock clock) {
        LimitMetrics metrics = new LimitMetrics(registry);
        this.counters = new FleetCounters(settings.redis(), () -> config.current().source().gateway().replicas(), clock, metrics,
                REDIS_PROBE_INTERVAL);
        this.budgets = new BudgetTracker(clock, spend, config::current, metrics, settings.ledger().flushInterval());
        ledger.addListener(budgets::flushed);
        this.admission = new LimitsAdmissionControl(counters, budgets, tokens.sampling(PROMPT_SAMPLE_CHARS), prices,
                new LimitHeadroom(metrics));
        this.backends = new BackendQuotas(counters);
    }

    /**
     * Rows of this pod stored by a replay of the spill file (after a database outage): their cost is in the database
     * totals now, and leaves this pod's unflushed spend as a written batch's does. Without this it was counted twice.
     */
    public void replayed(List<LedgerEntry> rows) {
        budgets.flushed(rows);
    }

    /**
     * Hands every budget threshold crossing to {@code listener} (on the request or refresh thread, under the tracker's
     * lock: it must only enqueue), including those already seen since start.
     */
    public void onBudgetCrossing(Consumer<BudgetCrossing> listener) {
        budgets.onCrossing(listener);
    }

    public AdmissionControl admission() {
        return admission;
    }

    public BackendCapacity backendCapacity() {
        return backends;
    }

    /** True while limits are shared through Redis. */
    public boolean shared() {
        return counters.shared();
    }

    @Override
    public void close() {
        budgets.close();
        counters.close();
    }
}
