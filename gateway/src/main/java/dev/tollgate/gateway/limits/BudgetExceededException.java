package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.error.GatewayException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** 429 {@code budget_exceeded}: the key's or team's spend this period reached its cap. Says the spend, cap and reset. */
public final class BudgetExceededException extends GatewayException {

    private final Map<String, String> headers;

    BudgetExceededException(String scope, String name, BigDecimal spentUsd, BigDecimal capUsd, String period, Instant resetsAt,
                            Instant now) {
        super(429, "insufficient_quota", "budget_exceeded", null,
                "Budget exceeded for " + scope + " '" + name + "': spent $" + money(spentUsd) + " of its $" + money(capUsd)
                        + " " + describe(period) + " budget (requests in flight included); it resets at " + resetsAt + ".");
        long seconds = Math.max(1, (Duration.between(now, resetsAt).toMillis() + 999) / 1000);
        this.headers = Map.of("retry-after", Long.toString(seconds));
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    private static String money(BigDecimal usd) {
        return usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String describe(String period) {
        return switch (period) {
            case "daily", "weekly", "monthly" -> period;
            default -> period + " period";
        };
    }
}
