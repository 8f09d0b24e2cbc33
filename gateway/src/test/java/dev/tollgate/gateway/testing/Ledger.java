package dev.tollgate.gateway.testing;

import dev.tollgate.gateway.Gateway;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Reads ledger rows back from a running gateway's database after flushing its writer. */
public final class Ledger {

    /** The columns provider tests check. */
    public record Row(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, BigDecimal costUsd,
                      int status, boolean streamed, boolean estimated, String provider) {
    }

    private Ledger() {
    }

    public static Row row(Gateway gateway, String requestId) throws Exception {
        gateway.ledger().flush();
        try (Connection c = gateway.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, "
                     + "cost_pico, status, streamed, estimated, provider FROM ledger WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no ledger row for request " + requestId);
                }
                return new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        BigDecimal.valueOf(rs.getLong(5)).movePointLeft(12).stripTrailingZeros(), rs.getInt(6),
                        rs.getInt(7) == 1, rs.getInt(8) == 1, rs.getString(9));
            }
        }
    }

    /** The request id of the newest row. */
    public static String lastRequestId(Gateway gateway) throws Exception {
        gateway.ledger().flush();
        try (Connection c = gateway.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT request_id FROM ledger ORDER BY started_at DESC, ended_at DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new AssertionError("the ledger is empty");
            }
            return rs.getString(1);
        }
    }
}
