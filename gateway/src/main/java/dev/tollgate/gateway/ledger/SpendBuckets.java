package dev.tollgate.gateway.ledger;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Table {@code spend_buckets}: cost and client requests of each key and team per 15 minutes of {@code started_at},
 * kept in step with the ledger by {@link LedgerStore} in the transaction that inserts the rows.
 *
 * <p>Every calendar period in every time zone (UTC offsets are multiples of 15 minutes) and every fixed budget
 * duration that is a multiple of 15 minutes starts on a bucket boundary, so a period's total is the sum of whole
 * buckets. A start between boundaries is answered by {@link SpendQueries} from buckets plus ledger rows up to the next
 * boundary, so any start is exact.
 *
 * <p>A bucket's cost is a {@code BIGINT} of picodollars: one key's or team's spend in one 15 minutes saturates at
 * about 9.2 million USD (the ledger rows themselves stay exact).
 */
final class SpendBuckets {

    /** Bucket width: 15 minutes in milliseconds. */
    static final long WIDTH_MILLIS = 15 * 60 * 1000L;

    /** {@code subject_kind} of a key's buckets. */
    static final String KEY = "key";

    /** {@code subject_kind} of a team's buckets. */
    static final String TEAM = "team";

    /** SQL expression of the bucket of {@code started_at}: a floor that also holds for instants before 1970. */
    static final String BUCKET_OF_STARTED_AT =
            "started_at - ((started_at % " + WIDTH_MILLIS + " + " + WIDTH_MILLIS + ") % " + WIDTH_MILLIS + ")";

    /** One row of the table: which subject, which 15 minutes. */
    record Key(String kind, String subject, long bucketStart) {

        /** Kind, subject, bucket: the order every writer locks rows in, so concurrent upserts cannot deadlock. */
        static final Comparator<Key> ORDER = Comparator.comparing(Key::kind).thenComparing(Key::subject)
                .thenComparingLong(Key::bucketStart);
    }

    /** Amounts added to one bucket. */
    static final class Amount {
        long costPico;
        long requests;
    }

    private SpendBuckets() {
    }

    /** {@code a + b}, or the largest (smallest) long where that sum would overflow. */
    static long saturatedSum(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** Start (epoch ms) of the bucket that contains {@code epochMillis}. */
    static long bucketStart(long epochMillis) {
        return Math.floorDiv(epochMillis, WIDTH_MILLIS) * WIDTH_MILLIS;
    }

    /** The first bucket boundary at or after {@code epochMillis}. */
    static long nextBoundary(long epochMillis) {
        long start = bucketStart(epochMillis);
        return start == epochMillis ? start : start + WIDTH_MILLIS;
    }

    /**
     * Sums rows per key bucket and, for rows with a team, per team bucket. Cost counts every row; requests only
     * client requests ({@code parentRequestId == null}), as in {@link SpendQueries}.
     */
    static Map<Key, Amount> aggregate(List<LedgerEntry> rows) {
        Map<Key, Amount> buckets = new TreeMap<>(Key.ORDER);
        for (LedgerEntry row : rows) {
            long bucket = bucketStart(row.startedAt().toEpochMilli());
            long cost = Picodollars.fromUsd(row.costUsd());
            long requests = row.parentRequestId() == null ? 1 : 0;
            add(buckets, new Key(KEY, row.keyName(), bucket), cost, requests);
            if (row.team() != null) {
                add(buckets, new Key(TEAM, row.team(), bucket), cost, requests);
            }
        }
        return buckets;
    }

    private static void add(Map<Key, Amount> buckets, Key key, long cost, long requests) {
        Amount amount = buckets.computeIfAbsent(key, k -> new Amount());
        amount.costPico = saturatedSum(amount.costPico, cost);
        amount.requests += requests;
    }
}
