package dev.tollgate.gateway.limits;

import java.util.List;

/**
 * What an admitted request took from the counters, so that it can be given back: the parallel lease and the
 * correction of the token estimate, applied to the one-second bucket the tokens were counted in.
 *
 * @param remote       taken from the shared (Redis) counters rather than this pod's own
 * @param bucketSecond epoch second of the bucket the request was counted in; -1 means "the current bucket"
 * @param asks         the subjects and limits the request was checked against
 * @param leaseId      id of the parallel lease, unique per request
 */
record LimitHold(boolean remote, long bucketSecond, List<LimitAsk> asks, String leaseId) {
}
