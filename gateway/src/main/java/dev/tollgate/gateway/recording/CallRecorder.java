package dev.tollgate.gateway.recording;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.content.ContentSink;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerSink;
import dev.tollgate.gateway.ledger.Picodollars;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pricing.CostCalculator;
import dev.tollgate.gateway.pricing.PriceResolver;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.routing.RouteTrace;
import dev.tollgate.gateway.tracing.RequestOutcome;
import dev.tollgate.gateway.tracing.RequestSpan;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Records a finished call, once: its ledger rows (the request's own and one per earlier billed attempt), its budgets
 * settled with everything billed, its metrics counted from those same rows (so metrics equal the ledger), one attempt
 * metric per upstream attempt, and its content when the policy keeps it.
 */
public final class CallRecorder {

    private final LedgerSink ledger;
    private final PriceResolver prices;
    private final GatewayMetrics metrics;
    private final ContentSink content;

    public CallRecorder(LedgerSink ledger, PriceResolver prices, GatewayMetrics metrics, ContentSink content) {
        this.ledger = ledger;
        this.prices = prices;
        this.metrics = metrics;
        this.content = content;
    }

    /**
     * Records {@code call}, ended now.
     *
     * @return what the client's request cost in all: the sum of its ledger rows ({@code x-tollgate-cost-usd})
     */
    public BigDecimal record(CallRecord call) {
        long endNanos = System.nanoTime();
        Instant endedAt = call.startedAt.plusNanos(endNanos - call.startNanos);
        Instant firstTokenAt = call.firstByteNanos == 0 ? null : call.startedAt.plusNanos(call.firstByteNanos - call.startNanos);
        String model = call.routeModel == null ? "" : call.routeModel;
        List<RouteTrace.Attempt> attempts = call.trace.attempts();
        BackendConfig last = call.trace.backend();

        Usage usage = call.usage != null ? call.usage : call.trace.lastBilledUsage();
        BigDecimal cost = usage == null || last == null ? BigDecimal.ZERO : CostCalculator.cost(usage, prices.pricing(last));
        usage = usage == null ? Usage.ZERO : usage;
        LedgerEntry requestRow = LedgerRows.request(call, firstTokenAt, endedAt, usage, cost);

        long prompt = usage.promptTokens();
        long completion = usage.completionTokens();
        long cached = usage.cachedTokens();
        long reasoning = usage.reasoningTokens();
        BigDecimal billedCost = cost;
        for (int i = 0; i < attempts.size() - 1; i++) {
            RouteTrace.Attempt a = attempts.get(i);
            Usage billed = a.billedUsage();
            if (billed == null) {
                continue;
            }
            BigDecimal attemptCost = CostCalculator.cost(billed, prices.pricing(a.backend()));
            ledger.record(LedgerRows.attempt(call, i, a, billed, attemptCost));
            billedRow(model, call, a.backend(), billed, attemptCost);
            prompt += billed.promptTokens();
            completion += billed.completionTokens();
            cached += billed.cachedTokens();
            reasoning += billed.reasoningTokens();
            billedCost = billedCost.add(attemptCost);
        }
        call.admission.complete(new Usage(prompt, completion, cached, reasoning, true), billedCost); // budgets count every billed attempt
        ledger.record(requestRow);
        billedRow(model, call, last, usage, cost);

        metrics.request(new GatewayMetrics.RequestLabels(model, call.key.team(), call.key.name(), call.status, call.outcome.label()),
                Duration.ofNanos(endNanos - call.startNanos),
                call.firstByteNanos == 0 ? null : Duration.ofNanos(call.firstByteNanos - call.startNanos));
        attempts(call, attempts);
        content.record(call.requestId, call.key, call.request == null ? null : call.request.body(), call.responseText);
        endSpan(call, last, usage, billedCost);
        return billedCost;
    }

    /** Closes the request's span with what the ledger rows say (nothing to do when tracing is off). */
    @SuppressWarnings("ReferenceEquality") // RequestSpan.NONE is a sentinel
    private static void endSpan(CallRecord call, BackendConfig last, Usage usage, BigDecimal billedCost) {
        RequestSpan span = call.trace.span();
        if (span != RequestSpan.NONE) {
            span.end(new RequestOutcome(call.requestId, LedgerRows.requestedModel(call), call.routeModel, last, call.key.name(),
                    call.key.team(), call.status, call.errorType, usage, billedCost, call.trace.attemptCount(),
                    call.trace.fallbackRoute(), LedgerRows.streamed(call)));
        }
    }

    /** Counts one ledger row's tokens and cost, exactly as the row stores them. */
    private void billedRow(String model, CallRecord call, BackendConfig b, Usage usage, BigDecimal cost) {
        metrics.billed(new GatewayMetrics.BilledLabels(model, b == null ? null : b.name(), b == null ? null : b.provider(),
                        call.key.team(), call.key.name()),
                usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(), usage.reasoningTokens(), Picodollars.fromUsd(cost));
    }

    /** One count per upstream attempt by outcome; retries (again on the same route) and fallbacks (on to another). */
    private void attempts(CallRecord call, List<RouteTrace.Attempt> attempts) {
        for (int i = 0; i < attempts.size(); i++) {
            RouteTrace.Attempt a = attempts.get(i);
            boolean lastAttempt = i == attempts.size() - 1;
            Outcome outcome = lastAttempt ? call.outcome : a.error() == null ? Outcome.OK : Outcome.of(a.error());
            String errorType = a.error() == null ? null : errorType(a.error()); // a client going away is no upstream error
            BackendConfig b = a.backend();
            metrics.attempt(new GatewayMetrics.AttemptLabels(a.route(), b.name(), b.provider(), outcome.label()), errorType);
            if (i > 0) {
                String previous = attempts.get(i - 1).route();
                if (previous.equals(a.route())) {
                    metrics.retried(a.route());
                } else {
                    metrics.fellBack(previous, a.route());
                }
            }
        }
    }

    /** An upstream failure by kind ({@code server_error}, {@code timeout}, {@code rate_limited} …), else its code. */
    private static String errorType(GatewayException e) {
        return e instanceof UpstreamException u ? u.kind().name().toLowerCase(Locale.ROOT) : CallRecord.errorType(e);
    }
}
