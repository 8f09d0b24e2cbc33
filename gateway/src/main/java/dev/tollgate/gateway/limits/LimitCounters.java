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
    void release(LimitHold hold, long tokenDelta);
}
