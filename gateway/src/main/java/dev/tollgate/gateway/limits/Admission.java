package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;
import java.util.Map;

/** An admitted request's hold on limits and budget, released exactly once when the request ends. */
public interface Admission {

    Admission NONE = new Admission() {
        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public void complete(Usage usage, BigDecimal costUsd) {
        }
    };

    /** Headers for the response, e.g. {@code x-ratelimit-remaining-requests}. */
    Map<String, String> headers();

    /** Settles with the real usage and cost (zero when nothing was billed) and releases in-flight holds. */
    void complete(Usage usage, BigDecimal costUsd);
}
