package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.error.GatewayException;

import java.time.Duration;

/**
 * An upstream call that failed, already mapped to the OpenAI error the client sees: upstream 429 stays 429,
 * 5xx and broken connections become 502, timeouts 504, refused gateway credentials 502, other 4xx stay client errors.
 */
public final class UpstreamException extends GatewayException {

    /** Why the call failed; drives retries and fallbacks. */
    public enum Kind {
        CONNECT, TIMEOUT, RATE_LIMITED, SERVER_ERROR, BAD_RESPONSE, CONTEXT_WINDOW, CONTENT_POLICY, CLIENT_ERROR, AUTH
    }

    private final Kind kind;
    private final Duration retryAfter;

    public UpstreamException(Kind kind, int status, String type, String code, String message, Duration retryAfter) {
        super(status, type, code, null, message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream's {@code retry-after}, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Whether the failure says the backend is unwell: connection errors, timeouts, 429, 5xx, invalid answers and the
     * upstream refusing the gateway's own credentials (401/403). These count toward the backend's circuit breaker and
     * may be retried on another backend; the upstream's 4xx answer to the client's request never does either.
     */
    public boolean backendFault() {
        return switch (kind) {
            case CONNECT, TIMEOUT, RATE_LIMITED, SERVER_ERROR, BAD_RESPONSE, AUTH -> true;
            case CONTEXT_WINDOW, CONTENT_POLICY, CLIENT_ERROR -> false;
        };
    }

    /** Upstream faults ({@link #backendFault()}) may be retried; the client's own 4xx never. */
    public boolean retryable() {
        return backendFault();
    }

    /** The same failure with another message (e.g. with the upstream's echo of a credential removed). */
    public UpstreamException withMessage(String message) {
        return new UpstreamException(kind, status(), type(), code(), message, retryAfter);
    }

    public static UpstreamException connect(String backend) {
        return new UpstreamException(Kind.CONNECT, 502, "api_error", "upstream_unreachable",
                "The upstream of backend '" + backend + "' could not be reached.", null);
    }

    public static UpstreamException timeout(String backend) {
        return new UpstreamException(Kind.TIMEOUT, 504, "timeout", "upstream_timeout",
                "The upstream of backend '" + backend + "' did not answer in time.", null);
    }

    public static UpstreamException badResponse(String backend, String detail) {
        return new UpstreamException(Kind.BAD_RESPONSE, 502, "api_error", "bad_upstream_response",
                "The upstream of backend '" + backend + "' sent an invalid answer: " + detail, null);
    }
}
