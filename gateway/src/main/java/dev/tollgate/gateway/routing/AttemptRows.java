package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.pricing.CostCalculator;
import dev.tollgate.gateway.usage.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Ledger rows for the attempts before the last one that the provider billed. Each has its own id
 * ({@code <request id>-attempt-<n>}, stable, so a replayed row is never written twice) and the client's request id
 * as {@code parentRequestId}; the client's request keeps its own row for the last attempt.
 */
public final class AttemptRows {

    private AttemptRows() {
    }

    /** Who asked, copied onto every attempt row. */
    public record Request(String requestId, String endpoint, String keyName, String team, String requestedModel, boolean streamed,
                          LedgerEntry.Attribution attribution) {
    }

    public static List<LedgerEntry> of(RouteTrace trace, Request r, Function<BackendConfig, Pricing> prices) {
        List<RouteTrace.Attempt> attempts = trace.attempts();
        List<LedgerEntry> rows = new ArrayList<>(0);
        for (int i = 0; i < attempts.size() - 1; i++) {
            RouteTrace.Attempt a = attempts.get(i);
            Usage u = a.billedUsage();
            if (u == null) {
                continue;
            }
            BackendConfig b = a.backend();
            int status = a.error() == null ? 200 : a.error().status();
            String error = a.error() == null ? null : a.error().code() != null ? a.error().code() : a.error().type();
            rows.add(new LedgerEntry(r.requestId() + "-attempt-" + (i + 1), r.requestId(),
                    new LedgerEntry.Who(r.keyName(), r.team()),
                    new LedgerEntry.What(r.endpoint(), r.requestedModel(), b.name(), b.provider(), b.model(), r.streamed()),
                    new LedgerEntry.Timing(a.startedAt(), null, a.endedAt()), u, CostCalculator.cost(u, prices.apply(b)),
                    new LedgerEntry.Outcome(status, error), r.attribution()));
        }
        return rows;
    }
}
