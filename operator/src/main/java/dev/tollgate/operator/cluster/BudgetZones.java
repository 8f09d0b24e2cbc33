package dev.tollgate.operator.cluster;


import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The time zone of a budget's calendar periods: UTC when unset; the schema checks the form, this checks it is known. */
public final class BudgetZones {

    private BudgetZones() {
    }

    public static boolean valid(String timeZone) {
        return timeZone == null || parse(timeZone) != null;
    }

    /** Returns the zone, UTC when {@code timeZone} is null or unknown. */
    public static ZoneId zone(String timeZone) {
        ZoneId z = timeZone == null ? null : parse(timeZone);
        return z == null ? ZoneOffset.UTC : z;
    }

    private static ZoneId parse(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
