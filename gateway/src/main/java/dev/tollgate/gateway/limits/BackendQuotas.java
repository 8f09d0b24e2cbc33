package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.BackendConfig;

import java.util.List;

/**
 * {@link BackendCapacity} from each backend's own {@code rpm}/{@code tpm}, counted with the same fleet counters as
 * keys and teams (shared through Redis, else each pod's share). A backend without a quota always has room.
 * The token correction of {@link #settle} and the request given back by {@link #refund} land in the current one-second
 * bucket (the seam does not carry the admission's bucket), which moves them by the request's duration at most.
 */
public final class BackendQuotas implements BackendCapacity {

    private final FleetCounters counters;

    BackendQuotas(FleetCounters counters) {
        this.counters = counters;
    }

    @Override
    public boolean tryAcquire(BackendConfig backend, long estimatedTokens) {
        if (backend.rpm() == null && backend.tpm() == null) {
            return true;
        }
        return counters.acquire(List.of(ask(backend, estimatedTokens)), null, 0).allowed();
    }

    @Override
    public void settle(BackendConfig backend, long estimatedTokens, long actualTokens) {
        if (backend.tpm() == null || actualTokens == estimatedTokens) {
            return;
        }
        counters.release(new LimitHold(counters.shared(), -1, List.of(ask(backend, estimatedTokens)), null), actualTokens - estimatedTokens);
    }

    @Override
    public void refund(BackendConfig backend, long estimatedTokens) {
        if (backend.rpm() == null && backend.tpm() == null) {
            return;
        }
        counters.release(new LimitHold(counters.shared(), -1, List.of(ask(backend, estimatedTokens)), null), -Math.max(0, estimatedTokens), true);
    }

    private static LimitAsk ask(BackendConfig backend, long tokens) {
        return new LimitAsk("backend:" + backend.name(), backend.rpm(), backend.tpm(), null, Math.max(0, tokens));
    }
}
