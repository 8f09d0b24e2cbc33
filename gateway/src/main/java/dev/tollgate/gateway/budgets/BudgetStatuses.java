package dev.tollgate.gateway.budgets;

import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.BudgetPeriods;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.TeamConfig;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.ledger.LedgerException;
import dev.tollgate.gateway.ledger.SpendQueries;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Configured budgets with their spend this period, read from the ledger's 15-minute spend buckets (one query per
 * distinct period start, not per budget). For the admin's budget list and a key's own view of its budget.
 */
public final class BudgetStatuses {

    private final SpendQueries spend;
    private final Clock clock;

    public BudgetStatuses(SpendQueries spend, Clock clock) {
        this.spend = spend;
        this.clock = clock;
    }

    /**
     * Every budget of a key, then of a team, in configuration order.
     *
     * @throws LedgerException if the database fails
     */
    public List<BudgetStatus> all(RuntimeConfig config) {
        Instant now = clock.instant();
        Map<Instant, Map<String, BigDecimal>> byKey = new HashMap<>();
        Map<Instant, Map<String, BigDecimal>> byTeam = new HashMap<>();
        List<BudgetStatus> statuses = new ArrayList<>();
        for (KeyConfig key : config.source().keys()) {
            if (key.budget() != null) {
                statuses.add(status("key", key.name(), key.budget(), now,
                        start -> byKey.computeIfAbsent(start, spend::costByKeySince)));
            }
        }
        for (TeamConfig team : config.source().teams()) {
            if (team.budget() != null) {
                statuses.add(status("team", team.name(), team.budget(), now,
                        start -> byTeam.computeIfAbsent(start, spend::costByTeamSince)));
            }
        }
        return statuses;
    }

    /**
     * The budget of one key, or null when it has none.
     *
     * @throws LedgerException if the database fails
     */
    public BudgetStatus ofKey(KeyConfig key) {
        return key.budget() == null ? null : status("key", key.name(), key.budget(), clock.instant(),
                start -> Map.of(key.name(), spend.costOfKeySince(key.name(), start)));
    }

    /**
     * The budget of one team, or null when it has none.
     *
     * @throws LedgerException if the database fails
     */
    public BudgetStatus ofTeam(TeamConfig team) {
        return team == null || team.budget() == null ? null
                : status("team", team.name(), team.budget(), clock.instant(),
                        start -> Map.of(team.name(), spend.costOfTeamSince(team.name(), start)));
    }

    private static BudgetStatus status(String scope, String name, Budget budget, Instant now, Costs costs) {
        Instant start = BudgetPeriods.start(budget.period(), now, budget.timeZone());
        Instant end = BudgetPeriods.end(budget.period(), now, budget.timeZone());
        BigDecimal used = costs.since(start).getOrDefault(name, BigDecimal.ZERO);
        return new BudgetStatus(scope, name, budget.amountUsd(), used, budget.period(), budget.timeZone().getId(), start, end);
    }

    /** Cost per subject since a period start. */
    @FunctionalInterface
    private interface Costs {
        Map<String, BigDecimal> since(Instant start);
    }
}
