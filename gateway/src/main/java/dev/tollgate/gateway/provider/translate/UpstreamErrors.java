package dev.tollgate.gateway.provider.translate;

import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamException.Kind;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;

/**
 * Maps a native provider's error (status plus what its body says) to the OpenAI error the client sees: 429 stays
 * 429, 5xx and overload become 502, refused credentials 502, context-window and content-policy errors 400 with
 * OpenAI's codes, other 4xx stay client errors.
 */
public final class UpstreamErrors {

    /** What the provider's error body says beyond its status. */
    public enum Hint { NONE, CONTEXT_WINDOW, CONTENT_POLICY, OVERLOADED, RATE_LIMITED }

    /** Longest upstream error message passed on to a client. */
    public static final int MAX_MESSAGE_CHARS = 1_000;

    private UpstreamErrors() {
    }

    public static UpstreamException map(String backend, int status, Duration retryAfter, String message, Hint hint) {
        String detail = message == null || message.isBlank() ? "HTTP " + status : bounded(message);
        if (status == 429 || hint == Hint.RATE_LIMITED) {
            return new UpstreamException(Kind.RATE_LIMITED, 429, "rate_limit_error", "upstream_rate_limited",
                    "Backend '" + backend + "' is rate limited upstream: " + detail, retryAfter);
        }
        if (status >= 500 || hint == Hint.OVERLOADED) {
            return new UpstreamException(Kind.SERVER_ERROR, 502, "api_error", "upstream_error",
                    "Backend '" + backend + "' failed upstream (HTTP " + status + "): " + detail, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new UpstreamException(Kind.AUTH, 502, "api_error", "upstream_auth_failed",
                    "Backend '" + backend + "' refused the gateway's credentials (HTTP " + status + "): " + detail, null);
        }
        if (hint == Hint.CONTEXT_WINDOW) {
            return new UpstreamException(Kind.CONTEXT_WINDOW, 400, "invalid_request_error", "context_length_exceeded", detail, null);
        }
        if (hint == Hint.CONTENT_POLICY) {
            return new UpstreamException(Kind.CONTENT_POLICY, 400, "invalid_request_error", "content_policy_violation", detail, null);
        }
        return new UpstreamException(Kind.CLIENT_ERROR, status == 404 ? 404 : 400, "invalid_request_error", null, detail, null);
    }

    /**
     * An upstream's error message as the client may see it: at most {@link #MAX_MESSAGE_CHARS} characters. Credentials
     * in it are removed where the attempt ends ({@code CredentialScrub}, in the router).
     */
    public static String bounded(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    /** The content-policy error of a prompt or answer the provider blocked (HTTP 200 with a block reason). */
    public static UpstreamException contentBlocked(String backend, String reason) {
        return map(backend, 400, null, "The backend '" + backend + "' blocked this request for content policy reasons (" + reason + ").",
                Hint.CONTENT_POLICY);
    }

    /**
     * The error of a provider whose error body is {@code {"<messageField>": "..."}} and whose status carries the kind;
     * the message only tells a too-long prompt apart.
     */
    public static UpstreamException fromMessageField(String backend, int status, Duration retryAfter, byte[] body, String messageField) {
        String message = null;
        try {
            message = Json.MAPPER.readTree(body).path(messageField).asText(null);
        } catch (Exception ignored) {
            // not JSON: the status alone decides
        }
        return map(backend, status, retryAfter, message, mentionsContextWindow(message) ? Hint.CONTEXT_WINDOW : Hint.NONE);
    }

    public static Duration retryAfter(HttpHeaders headers) {
        return headers.firstValue("retry-after").map(v -> {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    /** Whether {@code message} mentions a too-long prompt in any of the providers' wordings. */
    public static boolean mentionsContextWindow(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("context length") || m.contains("context window") || m.contains("too long")
                || m.contains("maximum number of tokens") || m.contains("too many tokens") || m.contains("context_length");
    }
}
