package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Budget;
import dev.tollgate.api.config.Limits;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.TeamConfig;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.usage.TokenCounter;
import dev.tollgate.gateway.usage.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The limit and budget stage. A request of a key without limits or budgets (nor a team with them) passes with no
 * work at all. Otherwise: budgets first (local memory only), then rpm/tpm/parallel of the key and its team in one
 * all-or-nothing acquisition. Token limits admit on an estimate — prompt tokens counted with jtokkit plus
 * {@code max_tokens} (or the configured default) times {@code n} — and are corrected with the real usage on completion.
 */
public final class LimitsAdmissionControl implements AdmissionControl {

    private static final Logger LOG = LoggerFactory.getLogger(LimitsAdmissionControl.class);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final LimitCounters counters;
    private final BudgetTracker budgets;
    private final TokenCounter tokens;
    private final Function<BackendConfig, Pricing> prices;
    private final LimitHeadroom headroom;
    private final String leasePrefix = UUID.randomUUID().toString().substring(0, 8) + ":";
    private final AtomicLong leases = new AtomicLong();

    LimitsAdmissionControl(LimitCounters counters, BudgetTracker budgets, TokenCounter tokens, Function<BackendConfig, Pricing> prices,
                           LimitHeadroom headroom) {
        this.counters = counters;
        this.headroom = headroom;
        this.budgets = budgets;
        this.tokens = tokens;
        this.prices = prices;
    }

    @Override
    public Admission admit(KeyPolicy key, RuntimeConfig config, ModelRequest request, RouteConfig route) {
        TeamConfig team = config.team(key.team());
        Limits keyLimits = key.config().limits();
        Limits teamLimits = team == null ? Limits.NONE : team.limits();
        Budget keyBudget = key.config().budget();
        Budget teamBudget = team == null ? null : team.budget();
        boolean limited = !keyLimits.isEmpty() || !teamLimits.isEmpty();
        boolean budgeted = keyBudget != null || teamBudget != null;
        if (!limited && !budgeted) {
            return Admission.NONE;
        }
        boolean countTokens = budgeted || keyLimits.tpm() != null || teamLimits.tpm() != null;
        long prompt = countTokens ? promptTokens(request) : 0;
        long completion = request.endpoint() == Endpoint.EMBEDDINGS ? 0
                : request.completionTokenCeiling(config.source().gateway().defaultMaxTokens());
        long estimate = prompt + completion;

        BudgetTracker.Reservation reservation = budgeted
                ? budgets.reserve(key.name(), keyBudget, team == null ? null : team.name(), teamBudget, worstCost(route, prompt, completion))
                : null;
        LimitHold hold = null;
        Map<String, String> headers = Map.of();
        if (limited) {
            List<LimitAsk> asks = new ArrayList<>(2);
            if (!keyLimits.isEmpty()) {
                asks.add(new LimitAsk("key:" + key.name(), keyLimits.rpm(), keyLimits.tpm(), keyLimits.parallel(), estimate));
            }
            if (!teamLimits.isEmpty()) {
                asks.add(new LimitAsk("team:" + team.name(), teamLimits.rpm(), teamLimits.tpm(), teamLimits.parallel(), estimate));
            }
            LimitOutcome outcome;
            try {
                outcome = counters.acquire(asks, leasePrefix + leases.incrementAndGet(), leaseTtlMillis(route));
            } catch (RuntimeException e) {
                if (reservation != null) {
                    budgets.complete(reservation, BigDecimal.ZERO);
                }
                throw e;
            }
            headroom.seen(asks, outcome.usage());
            headers = RateLimitHeaders.of(outcome.usage());
            if (!outcome.allowed()) {
                if (reservation != null) {
                    budgets.complete(reservation, BigDecimal.ZERO);
                }
                throw new RateLimitedException(message(asks.get(outcome.refused()), outcome), outcome.retryAfterMillis(), headers);
            }
            hold = outcome.hold();
        }
        return new Held(hold, estimate, reservation, headers);
    }

    private long promptTokens(ModelRequest request) {
        return switch (request.endpoint()) {
            case CHAT, RESPONSES -> tokens.countMessages(request.body().get("messages"));
            case COMPLETIONS -> tokens.countContent(request.body().get("prompt"));
            case EMBEDDINGS -> tokens.countContent(request.body().get("input"));
        };
    }

    /** The most the request can cost on any of the route's backends. */
    private BigDecimal worstCost(RouteConfig route, long prompt, long completion) {
        BigDecimal worst = BigDecimal.ZERO;
        for (BackendConfig b : route.backends()) {
            Pricing p = prices.apply(b);
            BigDecimal perMillion = p.inputPerMillion().multiply(BigDecimal.valueOf(prompt))
                    .add(p.outputPerMillion().multiply(BigDecimal.valueOf(completion)));
            if (perMillion.compareTo(worst) > 0) {
                worst = perMillion;
            }
        }
        return worst.divide(MILLION, MathContext.DECIMAL64);
    }

    /** A lease outlives every attempt of the request; one left by a dead pod is dropped after this. */
    private static long leaseTtlMillis(RouteConfig route) {
        return route.timeout().toMillis() * (route.retries() + 1L) + 60_000;
    }

    private static String message(LimitAsk ask, LimitOutcome outcome) {
        String subject = ask.subject();
        int colon = subject.indexOf(':');
        LimitOutcome.SubjectUsage u = outcome.usage().get(outcome.refused());
        Integer configured = switch (outcome.kind()) {
            case RPM -> ask.rpm();
            case TPM -> ask.tpm();
            case PARALLEL -> ask.parallel();
        };
        long enforced = switch (outcome.kind()) {
            case RPM -> u.rpmLimit();
            case TPM -> u.tpmLimit();
            case PARALLEL -> u.parallelLimit();
        };
        StringBuilder m = new StringBuilder("Rate limit reached for ").append(subject, 0, colon).append(" '")
                .append(subject.substring(colon + 1)).append("' on ").append(outcome.kind().description()).append(": limit ")
                .append(configured);
        if (enforced != configured) {
            m.append(" (this gateway replica enforces its share of ").append(enforced).append(")");
        }
        if (outcome.kind() == LimitKind.TPM && ask.tokens() > enforced) {
            m.append("; this request alone is estimated at ").append(ask.tokens()).append(" tokens, lower max_tokens");
        }
        return m.append(". Please try again in ").append(RateLimitHeaders.duration(outcome.retryAfterMillis())).append('.').toString();
    }

    /** An admitted request's holds; completes once. */
    private final class Held implements Admission {
        private final LimitHold hold;
        private final long estimate;
        private final BudgetTracker.Reservation reservation;
        private final Map<String, String> headers;
        private final AtomicBoolean completed = new AtomicBoolean();

        Held(LimitHold hold, long estimate, BudgetTracker.Reservation reservation, Map<String, String> headers) {
            this.hold = hold;
            this.estimate = estimate;
            this.reservation = reservation;
            this.headers = headers;
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public void complete(Usage usage, BigDecimal costUsd) {
            if (!completed.compareAndSet(false, true)) {
                return;
            }
            try {
                if (hold != null) {
                    counters.release(hold, (usage == null ? 0 : usage.totalTokens()) - estimate);
                }
                if (reservation != null) {
                    budgets.complete(reservation, costUsd);
                }
            } catch (RuntimeException e) {
                // Never fail the request's ledger row over this; a lost release expires with the window or lease.
                LOG.warn("releasing limits failed: {}", e.toString());
            }
        }
    }
}
