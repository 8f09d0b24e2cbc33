package dev.tollgate.gateway.limits;

import java.util.List;

/**
 * The answer of the counters to one admission.
 *
 * @param allowed          true when every limit had room and all were taken
 * @param refused          index in the asks of the subject that refused, -1 when allowed
 * @param kind             the limit that refused, null when allowed
 * @param retryAfterMillis when the refused limit will have room for this request again
 * @param usage            per ask, the effective limits and what is used (after taking, when allowed)
 * @param hold             what to give back when the request ends; null when refused
 */
record LimitOutcome(boolean allowed, int refused, LimitKind kind, long retryAfterMillis, List<SubjectUsage> usage, LimitHold hold) {

    /**
     * One subject's state as seen by this admission. A limit of -1 is not enforced.
     *
     * @param rpmLimit     requests per minute enforced here (the pod's share without Redis)
     * @param usedRequests requests counted in the window
     * @param tpmLimit     tokens per minute enforced here
     * @param usedTokens   tokens counted in the window
     * @param parallelLimit concurrent requests enforced here
     * @param inFlight     requests in flight
     * @param resetMillis  when the window will have forgotten everything counted so far
     */
    record SubjectUsage(long rpmLimit, long usedRequests, long tpmLimit, long usedTokens, long parallelLimit, long inFlight,
                        long resetMillis) {
    }

    static LimitOutcome refused(int index, LimitKind kind, long retryAfterMillis, List<SubjectUsage> usage) {
        return new LimitOutcome(false, index, kind, Math.max(1, retryAfterMillis), usage, null);
    }
}
