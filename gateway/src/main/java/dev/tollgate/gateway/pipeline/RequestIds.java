package dev.tollgate.gateway.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: {@code req_}, the epoch millisecond in 12 hex digits, then 80 random bits in 20 hex digits (the layout
 * of a UUIDv7, as text). Never taken from the client, so ledger keys cannot collide.
 *
 * <p>Ids made later sort after earlier ones, so a new ledger row's primary key lands on the right edge of the index
 * instead of a random page of it: on a 4-million-row PostgreSQL ledger that took a third off the database's time per
 * inserted row (bench/ledger.sh).
 */
public final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    public static String next() {
        return next(System.currentTimeMillis());
    }

    /** An id made at {@code epochMillis} (which must fit 48 bits, as every instant until the year 10889 does). */
    static String next(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[36];
        "req_".getChars(0, 4, out, 0);
        hex(epochMillis, 12, out, 4);
        hex(r.nextLong(), 16, out, 16);
        hex(r.nextInt(1 << 16), 4, out, 32);
        return new String(out);
    }

    /** Writes the low {@code digits} hex digits of {@code value} at {@code at}, most significant first. */
    private static void hex(long value, int digits, char[] out, int at) {
        for (int i = 0; i < digits; i++) {
            out[at + i] = HEX[(int) (value >>> (4 * (digits - 1 - i))) & 0xF];
        }
    }
}
