package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.error.GatewayException;

import java.util.HashMap;
import java.util.Map;

/** 429 {@code rate_limit_error}: a key's or team's rpm, tpm or parallel limit has no room; names which one. */
public final class RateLimitedException extends GatewayException {

    private final Map<String, String> headers;

    RateLimitedException(String message, long retryAfterMillis, Map<String, String> rateHeaders) {
        super(429, "rate_limit_error", "rate_limit_exceeded", null, message);
        Map<String, String> h = new HashMap<>(rateHeaders);
        h.put("retry-after", Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
        h.put("retry-after-ms", Long.toString(Math.max(1, retryAfterMillis)));
        this.headers = Map.copyOf(h);
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }
}
