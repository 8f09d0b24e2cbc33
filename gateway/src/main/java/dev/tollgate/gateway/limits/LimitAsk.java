package dev.tollgate.gateway.limits;

/**
 * What one request asks of one limited subject (a key, a team or a backend). A null limit is not checked.
 *
 * @param subject  {@code key:<name>}, {@code team:<name>} or {@code backend:<name>}
 * @param rpm      fleet-wide requests per minute
 * @param tpm      fleet-wide tokens per minute
 * @param parallel fleet-wide requests in flight
 * @param tokens   estimated tokens of the request (prompt + most completion tokens)
 */
record LimitAsk(String subject, Integer rpm, Integer tpm, Integer parallel, long tokens) {

    boolean isEmpty() {
        return rpm == null && tpm == null && parallel == null;
    }
}
