package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.ledger.LedgerWriter;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.testing.MutableClock;
import dev.tollgate.gateway.testing.TestGateways;
import dev.tollgate.gateway.usage.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Budget totals on a real SQLite ledger: unflushed spend moves to the global total exactly once, attempts included. */
class BudgetTrackerTest {

    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.frozen(Instant.parse("2030-03-10T12:00:00Z"));
    LedgerDatabase db;
    LedgerWriter ledger;
    BudgetTracker budgets;
    Budget budget;

    @BeforeEach
    void start() {
        GatewayConfig config = TestGateways.parse(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: m
                    backends: [ { name: b, provider: mock, model: m } ]
                teams:
                  - { name: t, budget: { amountUsd: 10, period: daily } }
                keys:
                  - { name: k, team: t, key: sk-tg-tracker-key-1, budget: { amountUsd: 1, period: daily } }
                """, Map.of());
        budget = config.keys().getFirst().budget();
        db = new LedgerDatabase(config.gateway().database());
        ledger = new LedgerWriter(new LedgerStore(db), config.gateway().ledger(), new SimpleMeterRegistry(), LedgerWriter.Options.defaults());
        budgets = new BudgetTracker(clock, new SpendQueries(db.dataSource()), new ConfigHolder(config)::current,
                new LimitMetrics(new SimpleMeterRegistry()), Duration.ofHours(1));
        ledger.addListener(budgets::flushed);
    }

    @AfterEach
    void stop() {
        budgets.close();
        ledger.close();
        db.close();
    }

    private LedgerEntry row(String id, String parent, String cost) {
        Instant now = clock.instant();
        return new LedgerEntry(id, parent, new LedgerEntry.Who("k", "t"),
                new LedgerEntry.What("chat", "m", "b", "mock", "m", false),
                new LedgerEntry.Timing(now, null, now), new Usage(10, 10, 0, 0, false),
                new BigDecimal(cost), new LedgerEntry.Outcome(200, null), null);
    }

    @Test
    void spendOfARequestAndItsBilledAttemptIsCountedOnceBeforeAndAfterTheFlush() throws Exception {
        BudgetTracker.Reservation r = budgets.reserve("k", budget, "t", budget("10"), new BigDecimal("0.5"));
        assertThat(budgets.spentUsd("key", "k")).isEqualByComparingTo("0.5"); // the worst case, in flight
        budgets.complete(r, new BigDecimal("0.3")); // 0.2 for the request + 0.1 for a failed, billed attempt
        assertThat(budgets.spentUsd("key", "k")).isEqualByComparingTo("0.3");

        ledger.record(row("a1", "r1", "0.1"));
        ledger.record(row("r1", null, "0.2"));
        ledger.flush();

        assertThat(budgets.spentUsd("key", "k")).isEqualByComparingTo("0.3");
        assertThat(budgets.spentUsd("team", "t")).isEqualByComparingTo("0.3");
    }

    @Test
    void reachingTheCapRefusesUntilTheNextPeriod() throws Exception {
        budgets.complete(budgets.reserve("k", budget, null, null, new BigDecimal("0.01")), new BigDecimal("1.2"));
        ledger.record(row("r1", null, "1.2"));
        ledger.flush();
        assertThatThrownBy(() -> budgets.reserve("k", budget, null, null, BigDecimal.ZERO))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.code()).isEqualTo("budget_exceeded");
                    assertThat(e.getMessage()).contains("$1.2 of its $1 daily").contains("2030-03-11T00:00:00Z");
                });
        clock.advance(Duration.ofHours(12));
        assertThat(budgets.reserve("k", budget, null, null, BigDecimal.ZERO)).isNotNull();
        assertThat(budgets.spentUsd("key", "k")).isEqualByComparingTo("0");
    }

    private static Budget budget(String amount) {
        return new Budget(new BigDecimal(amount), "daily", ZoneOffset.UTC, Budget.DEFAULT_ALERT_PERCENTS);
    }
}
