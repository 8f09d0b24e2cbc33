package dev.tollgate.gateway.limits;

import java.util.Arrays;

/**
 * A sliding window over the last minute made of one-second buckets (a ring of {@value #BUCKETS}). A unit counted in
 * second {@code s} stays counted until second {@code s + 61} starts: at least 60 s, at most 61 s. So no 60-second
 * interval ever holds more than the limit, and a unit is held at most one second longer than an exact sliding log
 * would hold it. Not thread-safe: {@link LocalCounters} guards it.
 */
final class SlidingWindow {

    /** Buckets counted: the current second and the 60 before it. */
    static final int BUCKETS = 61;

    private final long[] seconds = new long[BUCKETS];
    private final long[] counts = new long[BUCKETS];

    SlidingWindow() {
        Arrays.fill(seconds, Long.MIN_VALUE);
    }

    /** Units counted in the window that ends at {@code nowSecond}. */
    long used(long nowSecond) {
        long used = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (seconds[i] > nowSecond - BUCKETS && seconds[i] <= nowSecond) {
                used += counts[i];
            }
        }
        return used;
    }

    /** Adds {@code amount} (may be negative) to the bucket of {@code second}, if that bucket is still in the window. */
    void add(long second, long nowSecond, long amount) {
        if (second <= nowSecond - BUCKETS || second > nowSecond) {
            return;
        }
        int slot = (int) Math.floorMod(second, (long) BUCKETS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += amount;
    }

    /**
     * Milliseconds from {@code nowMillis} until the window has room for {@code need} more units under {@code limit}:
     * the oldest buckets leave first.
     */
    long millisUntilRoom(long nowMillis, long need, long limit) {
        long nowSecond = Math.floorDiv(nowMillis, 1000);
        long used = used(nowSecond);
        long freed = 0;
        for (long s = nowSecond - BUCKETS + 1; s <= nowSecond; s++) {
            int slot = (int) Math.floorMod(s, (long) BUCKETS);
            if (seconds[slot] == s) {
                freed += counts[slot];
                if (used - freed + need <= limit) {
                    return (s + BUCKETS) * 1000 - nowMillis;
                }
            }
        }
        return BUCKETS * 1000L;
    }
}
