package dev.tollgate.gateway.recording;

import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.UpstreamException;

/**
 * How a request or one upstream attempt ended, the {@code outcome} label of the request and attempt metrics. A status
 * alone cannot say it: a stream that fails mid-way or whose client goes away has already sent 200.
 */
public enum Outcome {
    /** Answered in full. */
    OK("ok"),
    /** The client's own fault: refused by the gateway (auth, model, limits, budget) or the upstream's 4xx answer. */
    CLIENT_ERROR("client_error"),
    /** The backend failed: unreachable, 5xx, 429, an invalid answer, refused credentials, no backend available. */
    UPSTREAM_ERROR("upstream_error"),
    /** The upstream did not answer (or send its first token) in time. */
    TIMEOUT("timeout"),
    /** A stream that broke after its first byte had gone to the client. */
    STREAM_FAILED("stream_failed"),
    /** The client went away before the answer was complete. */
    CLIENT_DISCONNECTED("client_disconnected");

    /** Status stored for a request whose client went away (nginx's "client closed request"). */
    public static final int CLIENT_CLOSED_STATUS = 499;

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }

    /** The outcome of a request or attempt that failed with {@code e} before its first byte. */
    public static Outcome of(GatewayException e) {
        if ("timeout".equals(e.type())) {
            return TIMEOUT;
        }
        if (e instanceof UpstreamException u) {
            return u.backendFault() ? UPSTREAM_ERROR : CLIENT_ERROR;
        }
        return e.status() < 500 && !"backends_at_capacity".equals(e.code()) ? CLIENT_ERROR : UPSTREAM_ERROR;
    }
}
