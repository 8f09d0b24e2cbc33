package dev.tollgate.gateway.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact money in the ledger: USD amounts are stored as whole picodollars (1 USD = 10^12 pico) in a
 * {@code BIGINT}, so sums are exact integers on every database.
 *
 * <p>A USD amount is rounded to 12 decimal places with {@link RoundingMode#HALF_EVEN} and must fit in a
 * {@code long}: one row may cost at most about 9.2 million USD. On SQLite a {@code SUM} over many rows is a
 * 64-bit integer too and fails with "integer overflow" past that amount per query; PostgreSQL sums a
 * {@code BIGINT} column as exact {@code numeric} and never overflows.
 */
public final class Picodollars {

    /** Decimal places of a USD amount kept in the ledger. */
    public static final int SCALE = 12;

    private Picodollars() {
    }

    /**
     * Converts USD to picodollars, rounding half-even past 12 decimal places.
     *
     * @throws ArithmeticException if the amount does not fit in a {@code long}
     */
    public static long fromUsd(BigDecimal usd) {
        return usd.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    /** Converts picodollars to USD with scale 12. */
    public static BigDecimal toUsd(long pico) {
        return BigDecimal.valueOf(pico, SCALE);
    }

    /** Converts a (possibly larger than {@code long}) sum of picodollars to USD with scale 12. */
    public static BigDecimal toUsd(BigDecimal pico) {
        return pico.movePointLeft(SCALE).setScale(SCALE, RoundingMode.UNNECESSARY);
    }
}
