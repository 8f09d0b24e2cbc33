package dev.tollgate.api.config;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A spend cap in USD over a period.
 *
 * @param amountUsd      the cap
 * @param period         {@code daily}, {@code weekly}, {@code monthly}, or a fixed duration such as {@code 12h}
 * @param timeZone       time zone of calendar periods (UTC unless configured)
 * @param alertPercents  soft thresholds in percent of the cap (e.g. 50, 80, 100); crossing one raises a metric
 */
public record Budget(BigDecimal amountUsd, String period, ZoneId timeZone, List<Integer> alertPercents) {

    public static final List<Integer> DEFAULT_ALERT_PERCENTS = List.of(80, 100);

    public Budget {
        timeZone = timeZone == null ? ZoneOffset.UTC : timeZone;
        alertPercents = alertPercents == null ? DEFAULT_ALERT_PERCENTS : List.copyOf(alertPercents);
    }
}
