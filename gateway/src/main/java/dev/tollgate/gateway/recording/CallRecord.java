package dev.tollgate.gateway.recording;

import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.limits.Admission;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.routing.RouteTrace;
import dev.tollgate.gateway.usage.Usage;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * What one client request did, filled in stage by stage by the pipeline and recorded once, at its end, by
 * {@link CallRecorder}. Until a stage says otherwise the request failed inside the gateway (500).
 */
public final class CallRecord {

    final String requestId;
    final Endpoint endpoint;
    final Instant startedAt;
    final long startNanos;
    final RouteTrace trace;
    KeyPolicy key;
    Admission admission = Admission.NONE;
    ModelRequest request;
    String routeModel;
    Usage usage;
    int status = 500;
    String errorType;
    Outcome outcome = Outcome.UPSTREAM_ERROR;
    long firstByteNanos;
    Supplier<String> responseText = () -> null;
    LedgerEntry.Attribution attribution = LedgerEntry.Attribution.NONE;

    /**
     * @param startedAt  when the gateway received the request
     * @param startNanos {@link System#nanoTime()} at that moment
     * @param key        the authenticated key
     * @param trace      where routing writes its attempts
     */
    public CallRecord(String requestId, Endpoint endpoint, Instant startedAt, long startNanos, KeyPolicy key, RouteTrace trace) {
        this.trace = trace;
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.key = key;
    }

    /** The attempts routing makes for this request. */
    public RouteTrace trace() {
        return trace;
    }

    /** The client's parsed request. */
    public void request(ModelRequest request) {
        this.request = request;
    }

    /** Who the request is for and its tags, as the client gave them (stored on every row of the call). */
    public void attribution(LedgerEntry.Attribution attribution) {
        this.attribution = attribution;
    }

    /** The route (public model name) that serves it. */
    public void route(String routeModel) {
        this.routeModel = routeModel;
    }

    /** Its hold on limits and budgets, settled when it is recorded. */
    public void admitted(Admission admission) {
        this.admission = admission;
    }

    /** Its hold on limits and budgets ({@link Admission#NONE} before the limit stage). */
    public Admission admission() {
        return admission;
    }

    /** Answered in full with {@code usage}. */
    public void answered(Usage usage) {
        this.usage = usage;
        this.status = 200;
        this.errorType = null;
        this.outcome = Outcome.OK;
    }

    /** Failed with {@code e} before any byte of the answer went to the client. */
    public void failed(GatewayException e) {
        this.status = e.status();
        this.errorType = errorType(e);
        this.outcome = Outcome.of(e);
    }

    /** A stream that broke after its first byte: the client saw 200 and an error event; recorded with the error's status. */
    public void streamFailed(GatewayException e, Usage usage) {
        this.usage = usage;
        this.status = e.status();
        this.errorType = errorType(e);
        this.outcome = Outcome.STREAM_FAILED;
    }

    /** The client went away with the answer incomplete; {@code usage} is what was produced until then. */
    public void clientDisconnected(Usage usage) {
        this.usage = usage;
        this.status = Outcome.CLIENT_CLOSED_STATUS;
        this.errorType = "client_disconnected";
        this.outcome = Outcome.CLIENT_DISCONNECTED;
    }

    /** {@link System#nanoTime()} when the first byte of a streamed answer went to the client. */
    public void firstByteAt(long nanos) {
        this.firstByteNanos = nanos;
    }

    /** The generated text, asked for only if the content policy keeps it. */
    public void responseText(Supplier<String> text) {
        this.responseText = text;
    }

    static String errorType(GatewayException e) {
        return e.code() != null ? e.code() : e.type();
    }
}
