package dev.tollgate.operator.spend;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads period totals from the gateway's ledger table ({@code ledger}: key_name, team, started_at epoch ms,
 * cost_pico with 1 USD = 10^12). Parameterized SQL only.
 */
public final class LedgerReader {

    /** Spend in picodollars and the last request's start, for one key or team. */
    public record Total(long costPico, Instant lastUsedAt) {
    }

    private final DataSource dataSource;

    public LedgerReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<String, Total> byKey(Collection<String> keyNames, Instant since) throws SQLException {
        return totals("key_name", keyNames, since);
    }

    public Map<String, Total> byTeam(Collection<String> teams, Instant since) throws SQLException {
        return totals("team", teams, since);
    }

    private Map<String, Total> totals(String column, Collection<String> names, Instant since) throws SQLException {
        Map<String, Total> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        // column is one of two constants above, never input
        String sql = "SELECT " + column + ", COALESCE(SUM(cost_pico), 0), MAX(started_at) FROM ledger"
                + " WHERE started_at >= ? AND " + column + " = ANY (?) GROUP BY " + column;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("varchar", names.toArray());
            ps.setLong(1, since.toEpochMilli());
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(3);
                    out.put(rs.getString(1), new Total(rs.getLong(2), rs.wasNull() ? null : Instant.ofEpochMilli(last)));
                }
            }
        }
        return out;
    }
}
