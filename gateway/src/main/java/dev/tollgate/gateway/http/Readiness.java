package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /health/readiness} answers: 200 while this pod can serve, 503 naming the checks that fail, and
 * details that never fail it. Every check and detail is an in-memory read or a local file operation: the probe never
 * waits for the network.
 *
 * <p>Kubernetes readiness decides whether a pod receives traffic from its Service, so it must mean "this pod can serve
 * requests", not "everything it talks to is up". The ledger database is shared by every pod: a readiness that follows it
 * goes false on every pod at once, the Service loses all its endpoints together, and a short database outage becomes a
 * gateway outage, although each pod could serve on and keep its ledger rows in its journal and spill file until the
 * database returns. Readiness therefore fails only for what this pod itself lacks to serve: a ledger writer that takes
 * rows (its queue full means requests wait) and a journal and spill directory that takes files (without it a row has
 * nowhere safe to go). The database's state is a detail here and the gauge {@code tollgate_ledger_database_up}, for
 * dashboards and alerts. Two conditions need no check: the gateway does not start without a valid configuration (a
 * failed reload keeps the last good one), and while the server stops it refuses requests, this one too, with 503.
 */
public final class Readiness {

    /** A condition this pod needs to serve; readiness fails while it does not hold. */
    public record Check(String name, BooleanSupplier passes) {
    }

    /** A fact reported in the body that does not decide readiness. */
    public record Detail(String name, Supplier<Object> value) {
    }

    /** The status and JSON body of one probe. */
    record Answer(int status, byte[] body) {
    }

    private final List<Check> checks;
    private final List<Detail> details;

    public Readiness(List<Check> checks, List<Detail> details) {
        this.checks = List.copyOf(checks);
        this.details = List.copyOf(details);
    }

    /**
     * Runs every check: 200 and {@code "status":"ready"} if all pass, else 503 and {@code "status":"not ready"}; the
     * body lists each check as {@code ok} or {@code failing}, then the details.
     */
    Answer answer() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode results = Json.MAPPER.createObjectNode();
        boolean ready = true;
        for (Check check : checks) {
            boolean passes = check.passes().getAsBoolean();
            ready &= passes;
            results.put(check.name(), passes ? "ok" : "failing");
        }
        body.put("status", ready ? "ready" : "not ready");
        body.set("checks", results);
        for (Detail detail : details) {
            body.putPOJO(detail.name(), detail.value().get());
        }
        return new Answer(ready ? 200 : 503, Json.bytes(body));
    }
}
