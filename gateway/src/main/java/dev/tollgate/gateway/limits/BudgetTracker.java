package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.BudgetPeriods;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.TeamConfig;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.Picodollars;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.scheduling.Periodic;
import io.micrometer.core.instrument.Meter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Spend of each budgeted key and team in its current period, as this pod sees it:
 * <pre>  spent = global (ledger database, every pod, as of the last refresh)
 *        + unflushed (requests this pod finished whose ledger rows are not yet in the database)
 *        + in flight (worst-case cost reserved by requests this pod admitted and has not finished)</pre>
 * A request is admitted while {@code spent < cap}. Global totals are re-read after every ledger flush of this pod
 * (rows just written move from "unflushed" to "global" atomically) and on a timer for spend of other pods.
 * Amounts are kept in whole picodollars, like the ledger. A period that ends rolls over on the next request.
 */
public final class BudgetTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetTracker.class);

    private final Clock clock;
    private final SpendQueries queries;
    private final Supplier<RuntimeConfig> config;
    private final LimitMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Spend> spends = new HashMap<>();
    private final List<Awaiting> awaiting = new ArrayList<>();
    private final AtomicLong querySeq = new AtomicLong();
    private final ScheduledExecutorService refresher;
    private long appliedSeq;
    private volatile boolean databaseDown;
    /** Told of every threshold crossing ({@link #onCrossing}). Guarded by {@link #lock}. */
    private Consumer<BudgetCrossing> crossings = c -> { };

    /** One subject's totals in its current period. Guarded by {@link #lock}. */
    private static final class Spend {
        final String scope;
        final String name;
        Budget budget;
        Instant periodStart;
        Instant periodEnd;
        long global;
        long unflushed;
        long inFlight;
        int alerted;
        List<Meter> gauges = List.of();

        Spend(String scope, String name) {
            this.scope = scope;
            this.name = name;
        }
    }

    /** One budget a reservation counts against, in the period it was admitted in. */
    private record Part(String subject, Instant periodStart) {
    }

    /**
     * A ledger row of a budgeted key or team flushed when the query sequence stood at {@code seq}: its cost leaves
     * "unflushed" when the first refresh started after it (and so including it) is applied.
     */
    private record Awaiting(long seq, String keyName, String team, Instant startedAt, long pico) {
    }

    /** A request's hold on its key's and team's budgets. */
    public static final class Reservation {
        private final List<Part> parts;
        private final long worstPico;
        private boolean done;

        private Reservation(List<Part> parts, long worstPico) {
            this.parts = parts;
            this.worstPico = worstPico;
        }
    }

    /**
     * @param refreshInterval how often global totals are re-read even when this pod writes nothing (the ledger
     *                        flush interval)
     */
    BudgetTracker(Clock clock, SpendQueries queries, Supplier<RuntimeConfig> config, LimitMetrics metrics, Duration refreshInterval) {
        this.clock = clock;
        this.queries = queries;
        this.config = config;
        this.metrics = metrics;
        refresh();
        long every = Math.max(10, refreshInterval.toMillis());
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("tollgate-budget-refresh").daemon(true).unstarted(r));
        Periodic.schedule(refresher, Duration.ofMillis(every), this::refreshQuietly);
    }

    /**
     * Admits a request against its key's and team's budgets (either may be null) and reserves its worst-case cost.
     *
     * @throws BudgetExceededException when a budget's spend (in flight included) has reached its cap
     */
    Reservation reserve(String keyName, Budget keyBudget, String teamName, Budget teamBudget, BigDecimal worstUsd) {
        Instant now = clock.instant();
        long worst = Picodollars.fromUsd(worstUsd);
        List<Part> parts = new ArrayList<>(2);
        lock.lock();
        try {
            Spend key = keyBudget == null ? null : current("key", keyName, keyBudget, now);
            Spend team = teamBudget == null ? null : current("team", teamName, teamBudget, now);
            check(key, now);
            check(team, now);
            for (Spend s : new Spend[] {key, team}) {
                if (s != null) {
                    s.inFlight += worst;
                    parts.add(new Part(s.scope + ":" + s.name, s.periodStart));
                }
            }
        } finally {
            lock.unlock();
        }
        return new Reservation(List.copyOf(parts), worst);
    }

    /**
     * Releases the reservation and counts the real cost as spent (unflushed until its ledger rows are written). The
     * cost is everything the request's ledger rows will carry: the request row plus its billed attempts.
     */
    void complete(Reservation r, BigDecimal costUsd) {
        long cost = costUsd == null ? 0 : Math.max(0, Picodollars.fromUsd(costUsd));
        lock.lock();
        try {
            if (r.done) {
                return;
            }
            r.done = true;
            for (Part p : r.parts) {
                Spend s = spends.get(p.subject());
                if (s != null && p.periodStart().equals(s.periodStart)) {
                    s.inFlight -= r.worstPico;
                    s.unflushed += cost;
                    alerts(s);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ledger listener: rows of this pod are in the database now; re-reads the totals that include them. */
    void flushed(List<LedgerEntry> rows) {
        long seq = querySeq.get();
        lock.lock();
        try {
            for (LedgerEntry row : rows) {
                if (row.costUsd() == null || row.costUsd().signum() <= 0) {
                    continue;
                }
                if (spends.containsKey("key:" + row.keyName()) || (row.team() != null && spends.containsKey("team:" + row.team()))) {
                    awaiting.add(new Awaiting(seq, row.keyName(), row.team(), row.startedAt(), Picodollars.fromUsd(row.costUsd())));
                }
            }
        } finally {
            lock.unlock();
        }
        refreshQuietly();
    }

    /** Re-reads the period totals of every budgeted key and team from the ledger database. */
    void refresh() {
        long seq = querySeq.incrementAndGet();
        Instant now = clock.instant();
        RuntimeConfig cfg = config.get();
        Map<Instant, Set<String>> keysByStart = new HashMap<>();
        Map<Instant, Set<String>> teamsByStart = new HashMap<>();
        Map<String, Budget> budgets = new HashMap<>();
        for (KeyConfig k : cfg.source().keys()) {
            if (k.budget() != null) {
                keysByStart.computeIfAbsent(start(k.budget(), now), s -> new HashSet<>()).add(k.name());
                budgets.put("key:" + k.name(), k.budget());
            }
        }
        for (TeamConfig t : cfg.source().teams()) {
            if (t.budget() != null) {
                teamsByStart.computeIfAbsent(start(t.budget(), now), s -> new HashSet<>()).add(t.name());
                budgets.put("team:" + t.name(), t.budget());
            }
        }
        Map<String, Long> totals = new HashMap<>();
        try {
            for (Map.Entry<Instant, Set<String>> e : keysByStart.entrySet()) {
                Map<String, BigDecimal> costs = queries.costByKeySince(e.getKey());
                e.getValue().forEach(name -> totals.put("key:" + name, pico(costs.get(name))));
            }
            for (Map.Entry<Instant, Set<String>> e : teamsByStart.entrySet()) {
                Map<String, BigDecimal> costs = queries.costByTeamSince(e.getKey());
                e.getValue().forEach(name -> totals.put("team:" + name, pico(costs.get(name))));
            }
        } catch (RuntimeException e) {
            if (!databaseDown) {
                databaseDown = true;
                LOG.warn("budget totals cannot be read from the ledger database ({}); using the last known totals plus this pod's spend",
                        e.getClass().getSimpleName());
            }
            return;
        }
        if (databaseDown) {
            databaseDown = false;
            LOG.info("budget totals are read from the ledger database again");
        }
        lock.lock();
        try {
            if (seq <= appliedSeq) {
                return;
            }
            appliedSeq = seq;
            for (Iterator<Map.Entry<String, Spend>> it = spends.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Spend> e = it.next();
                if (!budgets.containsKey(e.getKey()) && e.getValue().inFlight == 0 && e.getValue().unflushed == 0) {
                    metrics.remove(e.getValue().gauges); // its key or team lost its budget or left the configuration
                    it.remove();
                }
            }
            for (Iterator<Awaiting> it = awaiting.iterator(); it.hasNext(); ) {
                Awaiting a = it.next();
                if (a.seq() < seq) {
                    flushedOut(spends.get("key:" + a.keyName()), a);
                    if (a.team() != null) {
                        flushedOut(spends.get("team:" + a.team()), a);
                    }
                    it.remove();
                }
            }
            for (Map.Entry<String, Long> e : totals.entrySet()) {
                String subject = e.getKey();
                int colon = subject.indexOf(':');
                Spend s = current(subject.substring(0, colon), subject.substring(colon + 1), budgets.get(subject), now);
                s.global = e.getValue();
                alerts(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells {@code listener} of every threshold crossing from now on, under this tracker's lock (so it must only hand
     * the crossing on, never block), and at once of the crossings already seen in the current periods: those found at
     * start (a crossing just before a restart may not have been announced) would otherwise never be reported.
     */
    void onCrossing(Consumer<BudgetCrossing> listener) {
        lock.lock();
        try {
            crossings = listener;
            for (Spend s : spends.values()) {
                if (s.budget == null || s.periodStart == null) {
                    continue;
                }
                for (int threshold : s.budget.alertPercents()) {
                    if (threshold <= s.alerted) {
                        listener.accept(crossing(s, threshold));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Spend of {@code scope:name} in its current period as this pod counts it (global + unflushed + in flight); for tests. */
    BigDecimal spentUsd(String scope, String name) {
        lock.lock();
        try {
            Spend s = spends.get(scope + ":" + name);
            return s == null ? BigDecimal.ZERO : Picodollars.toUsd(s.global + s.unflushed + s.inFlight);
        } finally {
            lock.unlock();
        }
    }

    /** The budget's cap minus recorded spend (in flight excluded), in USD, for the gauge. */
    private double remainingUsd(Spend s) {
        lock.lock();
        try {
            return s.budget == null ? Double.NaN : s.budget.amountUsd().doubleValue() - Picodollars.toUsd(s.global + s.unflushed).doubleValue();
        } finally {
            lock.unlock();
        }
    }

    /** Recorded spend over the cap, for the gauge. */
    private double usedRatio(Spend s) {
        lock.lock();
        try {
            long cap = s.budget == null ? 0 : Picodollars.fromUsd(s.budget.amountUsd());
            return cap <= 0 ? Double.NaN : (double) (s.global + s.unflushed) / cap;
        } finally {
            lock.unlock();
        }
    }

    /** A flushed row of the subject's current period is in the global total now. Caller holds the lock. */
    private static void flushedOut(Spend s, Awaiting row) {
        if (s != null && s.periodStart != null && !row.startedAt().isBefore(s.periodStart)) {
            s.unflushed = Math.max(0, s.unflushed - row.pico());
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("budget refresh failed", e);
        }
    }

    /** The subject's totals, rolled over to the period that contains {@code now}. Caller holds the lock. */
    private Spend current(String scope, String name, Budget budget, Instant now) {
        Spend s = spends.get(scope + ":" + name);
        if (s == null) {
            Spend created = new Spend(scope, name);
            created.gauges = metrics.budget(scope, name, () -> remainingUsd(created), () -> usedRatio(created));
            spends.put(scope + ":" + name, created);
            s = created;
        }
        if (s.periodStart == null || !budget.equals(s.budget) || !now.isBefore(s.periodEnd) || now.isBefore(s.periodStart)) {
            Instant start = start(budget, now);
            if (!start.equals(s.periodStart)) {
                s.periodStart = start;
                s.global = 0;
                s.unflushed = 0;
                s.inFlight = 0;
                s.alerted = 0;
                if (s.budget != null && refresher != null) {
                    refresher.execute(this::refreshQuietly); // the new period's spend of other pods
                }
            }
            s.budget = budget;
            s.periodEnd = BudgetPeriods.end(budget.period(), now, budget.timeZone());
        }
        return s;
    }

    private static Instant start(Budget budget, Instant now) {
        return BudgetPeriods.start(budget.period(), now, budget.timeZone());
    }

    private void check(Spend s, Instant now) {
        if (s == null) {
            return;
        }
        long cap = Picodollars.fromUsd(s.budget.amountUsd());
        long spent = s.global + s.unflushed + s.inFlight;
        if (spent >= cap) {
            throw new BudgetExceededException(s.scope, s.name, Picodollars.toUsd(spent), s.budget.amountUsd(), s.budget.period(),
                    s.periodEnd, now);
        }
    }

    /** Raises the alert metric for every soft threshold the recorded spend crossed this period. */
    private void alerts(Spend s) {
        long cap = Picodollars.fromUsd(s.budget.amountUsd());
        if (cap <= 0) {
            return;
        }
        long percent = (long) Math.floor((s.global + s.unflushed) * 100.0 / cap);
        for (int threshold : s.budget.alertPercents()) {
            if (threshold > s.alerted && percent >= threshold) {
                metrics.budgetAlert(s.scope, s.name, threshold);
                crossings.accept(crossing(s, threshold));
            }
        }
        for (int threshold : s.budget.alertPercents()) {
            if (percent >= threshold && threshold > s.alerted) {
                s.alerted = threshold;
            }
        }
    }

    private static BudgetCrossing crossing(Spend s, int threshold) {
        return new BudgetCrossing(s.scope, s.name, threshold, Picodollars.toUsd(s.global + s.unflushed), s.budget.amountUsd(),
                s.budget.period(), s.periodStart, s.periodEnd);
    }

    private static long pico(BigDecimal usd) {
        return usd == null ? 0 : Picodollars.fromUsd(usd);
    }

    @Override
    public void close() {
        refresher.shutdown();
        try {
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
