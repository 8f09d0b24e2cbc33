package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.BackendConfig;

/**
 * A backend's own quota (its provider's rpm/tpm). The router asks before using a backend and skips one at its
 * limit instead of failing the request.
 */
public interface BackendCapacity {

    BackendCapacity UNLIMITED = new BackendCapacity() {
        @Override
        public boolean tryAcquire(BackendConfig backend, long estimatedTokens) {
            return true;
        }

        @Override
        public void settle(BackendConfig backend, long estimatedTokens, long actualTokens) {
        }

        @Override
        public void refund(BackendConfig backend, long estimatedTokens) {
        }
    };

    /** Takes room for one request of about {@code estimatedTokens}; false when the backend is at its limit. */
    boolean tryAcquire(BackendConfig backend, long estimatedTokens);

    /** Corrects the token estimate with the real count once known. */
    void settle(BackendConfig backend, long estimatedTokens, long actualTokens);

    /** Gives back all that {@link #tryAcquire} took, the request and its tokens: the request never went upstream. */
    void refund(BackendConfig backend, long estimatedTokens);
}
