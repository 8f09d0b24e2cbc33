package dev.tollgate.gateway.testing;

import dev.tollgate.gateway.Gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads ledger rows straight from a gateway's database (after flushing its writer). */
public final class LedgerRows {

    private LedgerRows() {
    }

    public static List<Map<String, Object>> all(Gateway gateway) {
        try {
            gateway.ledger().flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (Connection c = gateway.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM ledger ORDER BY started_at, request_id");
             ResultSet rs = s.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> byRequestId(Gateway gateway, String requestId) {
        return all(gateway).stream().filter(r -> requestId.equals(r.get("request_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no ledger row for " + requestId));
    }

    public static long asLong(Object value) {
        return ((Number) value).longValue();
    }
}
