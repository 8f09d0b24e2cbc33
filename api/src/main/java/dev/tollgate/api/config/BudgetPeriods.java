package dev.tollgate.api.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Budget periods: {@code daily}, {@code weekly} (Monday start), {@code monthly} (calendar) in a zone (UTC by default),
 * or a fixed duration ({@code 12h}, {@code 30d}) counted from the Unix epoch.
 */
public final class BudgetPeriods {

    private BudgetPeriods() {
    }

    public static boolean isValid(String period) {
        return switch (period) {
            case "daily", "weekly", "monthly" -> true;
            default -> {
                Duration d = Durations.parse(period);
                yield d != null && !d.isZero() && !d.isNegative();
            }
        };
    }

    /** Start (inclusive) of the period that contains {@code now}. */
    public static Instant start(String period, Instant now, ZoneId zone) {
        ZonedDateTime t = now.atZone(zone);
        LocalDate day = t.toLocalDate();
        return switch (period) {
            case "daily" -> day.atStartOfDay(zone).toInstant();
            case "weekly" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
            case "monthly" -> day.withDayOfMonth(1).atStartOfDay(zone).toInstant();
            default -> {
                long ms = Durations.parse(period).toMillis();
                yield Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), ms) * ms);
            }
        };
    }

    /** End (exclusive) of the period that contains {@code now}: when totals reset. */
    public static Instant end(String period, Instant now, ZoneId zone) {
        Instant start = start(period, now, zone);
        ZonedDateTime s = start.atZone(zone);
        return switch (period) {
            case "daily" -> s.plusDays(1).toInstant();
            case "weekly" -> s.plusWeeks(1).toInstant();
            case "monthly" -> s.plusMonths(1).toInstant();
            default -> start.plus(Durations.parse(period).toMillis(), ChronoUnit.MILLIS);
        };
    }
}
