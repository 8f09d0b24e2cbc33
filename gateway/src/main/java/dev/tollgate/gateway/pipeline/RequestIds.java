package dev.tollgate.gateway.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: {@code req_} and 128 random bits in hex. Never taken from the client, so ledger keys cannot collide. */
public final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        char[] out = new char[36];
        "req_".getChars(0, 4, out, 0);
        for (int i = 0; i < 16; i++) {
            out[4 + i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xF];
            out[20 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xF];
        }
        return new String(out);
    }
}
