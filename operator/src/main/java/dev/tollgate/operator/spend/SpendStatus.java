package dev.tollgate.operator.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Spend figures as shown in status, and which alert thresholds a new figure crosses. */
final class SpendStatus {

    private static final int PICO_SCALE = 12;

    private SpendStatus() {
    }

    static BigDecimal usd(long pico) {
        return BigDecimal.valueOf(pico, PICO_SCALE);
    }

    static String format(BigDecimal usd) {
        return usd.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    static int percent(BigDecimal spend, BigDecimal cap) {
        if (cap.signum() == 0) {
            return spend.signum() > 0 ? 100 : 0;
        }
        return spend.multiply(BigDecimal.valueOf(100)).divide(cap, 0, RoundingMode.FLOOR).min(BigDecimal.valueOf(100_000)).intValue();
    }

    /** Spend over budget as a fraction (1.0 = exhausted); a zero budget counts as exhausted by any spend. */
    static double ratio(BigDecimal spend, BigDecimal cap) {
        if (cap.signum() == 0) {
            return spend.signum() > 0 ? 1.0 : 0.0;
        }
        return spend.divide(cap, 6, RoundingMode.HALF_UP).doubleValue();
    }

    static boolean exceeded(BigDecimal spend, BigDecimal cap) {
        return cap.signum() == 0 ? spend.signum() > 0 : spend.compareTo(cap) >= 0;
    }

    /** Thresholds reached now and not yet announced in this period ({@code alerted} resets with the period). */
    static List<Integer> newlyCrossed(List<Integer> thresholds, int percent, List<Integer> alerted) {
        List<Integer> out = new ArrayList<>();
        for (Integer t : thresholds) {
            if (percent >= t && !alerted.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    static String instant(Instant t) {
        return t == null ? null : t.toString();
    }
}
