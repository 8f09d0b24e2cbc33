package dev.tollgate.gateway.error;

import org.eclipse.jetty.http.HttpException;

import java.util.concurrent.TimeoutException;

/**
 * Recognises failures that are the client's doing although they surface as exceptions inside a handler: Jetty's
 * own 4xx (a request body arriving slower than the minimum data rate is a 408, a malformed chunk a 400). They get
 * their 4xx in OpenAI's shape, not a 500, and are not logged as gateway errors.
 */
public final class ClientFaults {

    private ClientFaults() {
    }

    /** The 4xx for {@code e} or one of its causes, or null when the gateway itself failed. */
    public static GatewayException of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                int code = http.getCode();
                return new GatewayException(code, "invalid_request_error", code == 408 ? "request_timeout" : "bad_request", null,
                        code == 408 ? "The request body arrived too slowly." : "The request could not be read (HTTP " + code + ").");
            }
            if (t instanceof TimeoutException) {
                return new GatewayException(408, "invalid_request_error", "request_timeout", null, "The request body arrived too slowly.");
            }
        }
        return null;
    }
}
