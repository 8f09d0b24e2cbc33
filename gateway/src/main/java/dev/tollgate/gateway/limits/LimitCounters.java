package dev.tollgate.gateway.limits;

import java.util.List;

/**
 * Rate counters: a sliding window of one-second buckets for requests and tokens, and leases for requests in flight.
 * An admission checks every ask first and takes from all of them only when all have room (all or nothing).
 */
interface LimitCounters {

    /**
     * Checks and takes one request from every ask.
     *
     * @param leaseId        unique id of the request's parallel lease
     * @param leaseTtlMillis a lease not returned by then is dropped (a pod that died mid-request)
     */
    LimitOutcome acquire(List<LimitAsk> asks, String leaseId, long leaseTtlMillis);

    /** Returns the parallel lease and adds {@code tokenDelta} (real minus estimated tokens) to the token bucket. */
    default void release(LimitHold hold, long tokenDelta) {
        release(hold, tokenDelta, false);
    }

    /**
     * As {@link #release(LimitHold, long)}; with {@code requestReturned} the request counted by the admission is taken
     * off the rpm window too (it never went upstream).
     */
    void release(LimitHold hold, long tokenDelta, boolean requestReturned);
}
