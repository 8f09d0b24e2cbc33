package dev.tollgate.gateway.alerts;

import dev.tollgate.api.alerts.BudgetAlert;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Table {@code budget_alerts} of the ledger database: which alert each webhook was sent, so a threshold is announced
 * once per period and subject across restarts and across the pods that share the database.
 *
 * <p>A pod that sees a crossing first {@link #claim claims} it (an insert keyed by webhook, subject, period and
 * threshold: exactly one pod's insert adds the row), then delivers and marks it {@link #delivered}. A claim not
 * delivered in time (receiver down, pod gone) is {@link #overdue overdue}, and {@link #reclaim} lets exactly one pod
 * take it over (compare-and-set on {@code claimed_at}). All SQL is parameterized; it runs on SQLite and PostgreSQL.
 */
final class AlertLog {

    private static final String KEY = "webhook = ? AND scope = ? AND name = ? AND period_start = ? AND threshold = ?";

    /** An alert claimed for one webhook and not delivered yet. */
    record Claim(String webhook, BudgetAlert alert, Instant claimedAt) {
    }

    private final DataSource dataSource;

    AlertLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Adds the row of {@code alert} for {@code webhook} unless one exists.
     *
     * @return true when this call added it (this pod delivers), false when the alert was claimed before
     */
    boolean claim(String webhook, BudgetAlert alert, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO budget_alerts (webhook, scope, name, threshold, period_start, period_end, period, spent_usd,
                                                budget_usd, fired_at, claimed_at, delivered_at, attempts)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0)
                     ON CONFLICT DO NOTHING""")) {
            insert.setString(1, webhook);
            insert.setString(2, alert.scope());
            insert.setString(3, alert.name());
            insert.setInt(4, alert.threshold());
            insert.setLong(5, alert.periodStart().toEpochMilli());
            insert.setLong(6, alert.periodEnd().toEpochMilli());
            insert.setString(7, alert.period());
            insert.setString(8, alert.spentUsd().toPlainString());
            insert.setString(9, alert.budgetUsd().toPlainString());
            insert.setLong(10, alert.firedAt().toEpochMilli());
            insert.setLong(11, now.toEpochMilli());
            return insert.executeUpdate() == 1;
        }
    }

    /** Records a 2xx answer after {@code attempts} more POSTs. */
    void delivered(String webhook, BudgetAlert alert, int attempts, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE budget_alerts SET delivered_at = ?, attempts = attempts + ? WHERE " + KEY)) {
            update.setLong(1, now.toEpochMilli());
            update.setInt(2, attempts);
            bindKey(update, 3, webhook, alert);
            update.executeUpdate();
        }
    }

    /** Records POSTs that all failed; the row stays undelivered and becomes overdue. */
    void failed(String webhook, BudgetAlert alert, int attempts) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE budget_alerts SET attempts = attempts + ? WHERE " + KEY)) {
            update.setInt(1, attempts);
            bindKey(update, 2, webhook, alert);
            update.executeUpdate();
        }
    }

    /** Undelivered claims made at or before {@code claimedBefore}, oldest first, at most {@code limit}. */
    List<Claim> overdue(Instant claimedBefore, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement query = c.prepareStatement("""
                     SELECT webhook, scope, name, threshold, period_start, period_end, period, spent_usd, budget_usd, fired_at, claimed_at
                     FROM budget_alerts WHERE delivered_at IS NULL AND claimed_at <= ? ORDER BY claimed_at LIMIT ?""")) {
            query.setLong(1, claimedBefore.toEpochMilli());
            query.setInt(2, limit);
            try (ResultSet rs = query.executeQuery()) {
                List<Claim> claims = new ArrayList<>();
                while (rs.next()) {
                    BudgetAlert alert = new BudgetAlert(AlertDispatcher.SOURCE, rs.getString(2), null, rs.getString(3), rs.getInt(4),
                            new BigDecimal(rs.getString(8)), new BigDecimal(rs.getString(9)), rs.getString(7),
                            Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(10)));
                    claims.add(new Claim(rs.getString(1), alert, Instant.ofEpochMilli(rs.getLong(11))));
                }
                return claims;
            }
        }
    }

    /** Takes an overdue claim over; true for exactly one caller per {@code claimedAt} it read. */
    boolean reclaim(Claim claim, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE budget_alerts SET claimed_at = ? WHERE " + KEY + " AND claimed_at = ? AND delivered_at IS NULL")) {
            update.setLong(1, now.toEpochMilli());
            bindKey(update, 2, claim.webhook(), claim.alert());
            update.setLong(7, claim.claimedAt().toEpochMilli());
            return update.executeUpdate() == 1;
        }
    }

    private static void bindKey(PreparedStatement s, int first, String webhook, BudgetAlert alert) throws SQLException {
        s.setString(first, webhook);
        s.setString(first + 1, alert.scope());
        s.setString(first + 2, alert.name());
        s.setLong(first + 3, alert.periodStart().toEpochMilli());
        s.setInt(first + 4, alert.threshold());
    }
}
