package dev.tollgate.gateway.recording;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.routing.RouteTrace;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The ledger rows of one call: the client request's own row, and one row per earlier attempt the provider billed. An
 * attempt row has its own id ({@code <request id>-attempt-<n>}, stable, so a replayed row is never written twice) and
 * the client's request id as {@code parentRequestId}. The only place that builds a {@link LedgerEntry} from a call.
 */
final class LedgerRows {

    private LedgerRows() {
    }

    /** The client request's row: the last attempt's backend and the usage and status the client got. */
    static LedgerEntry request(CallRecord call, Instant firstTokenAt, Instant endedAt, Usage usage, BigDecimal cost) {
        BackendConfig b = call.trace.backend();
        return new LedgerEntry(call.requestId, null, who(call),
                new LedgerEntry.What(call.endpoint.label(), requestedModel(call), b == null ? null : b.name(),
                        b == null ? null : b.provider(), b == null ? null : b.model(), streamed(call)),
                new LedgerEntry.Timing(call.startedAt, firstTokenAt, endedAt), usage, cost,
                new LedgerEntry.Outcome(call.status, call.errorType), call.attribution);
    }

    /** The row of earlier attempt number {@code index} (0-based), billed {@code usage} at {@code cost}. */
    static LedgerEntry attempt(CallRecord call, int index, RouteTrace.Attempt a, Usage usage, BigDecimal cost) {
        BackendConfig b = a.backend();
        int status = a.error() == null ? 200 : a.error().status();
        String error = a.error() == null ? null : CallRecord.errorType(a.error());
        return new LedgerEntry(call.requestId + "-attempt-" + (index + 1), call.requestId, who(call),
                new LedgerEntry.What(call.endpoint.label(), requestedModel(call), b.name(), b.provider(), b.model(), streamed(call)),
                new LedgerEntry.Timing(a.startedAt(), null, a.endedAt()), usage, cost,
                new LedgerEntry.Outcome(status, error), call.attribution);
    }

    private static LedgerEntry.Who who(CallRecord call) {
        return new LedgerEntry.Who(call.key.name(), call.key.team());
    }

    static String requestedModel(CallRecord call) {
        return call.request == null ? null : call.request.model();
    }

    static boolean streamed(CallRecord call) {
        return call.request != null && call.request.stream();
    }
}
