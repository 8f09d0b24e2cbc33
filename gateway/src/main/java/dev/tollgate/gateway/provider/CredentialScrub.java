package dev.tollgate.gateway.provider;

import dev.tollgate.api.config.AwsCredentials;
import dev.tollgate.api.config.BackendConfig;

import java.util.regex.Pattern;

/**
 * Removes the gateway's provider credentials from an upstream's error message before a client sees it: a provider
 * that echoes the key it was sent ("Invalid API key: sk-...") must not hand that key to every client. Replaces the
 * backend's exact credentials (API key, AWS key id, secret and session token) and anything shaped like a bearer or
 * {@code sk-} style token with {@code [redacted]}; the rest of the message, which tells the client what was wrong,
 * stays. Runs on the error path only; its patterns are compiled once.
 */
public final class CredentialScrub {

    static final String REDACTED = "[redacted]";

    /** Bearer tokens, and the key shapes providers issue: OpenAI/Anthropic/Mistral {@code sk-…}, Google {@code AIza…}, AWS key ids. */
    private static final Pattern TOKEN_SHAPES = Pattern.compile(
            "(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{8,}"
                    + "|\\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}"
                    + "|\\bAIza[0-9A-Za-z_-]{20,}"
                    + "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b");

    /** Shorter secrets could be ordinary words of the message; the shapes above still catch most of them. */
    private static final int MIN_EXACT_LENGTH = 6;

    private CredentialScrub() {
    }

    /** {@code error} with its message scrubbed; the same instance when there was nothing to remove. */
    public static UpstreamException scrub(UpstreamException error, BackendConfig backend) {
        String message = error.getMessage();
        String clean = scrub(message, backend);
        return clean.equals(message) ? error : error.withMessage(clean);
    }

    /** {@code text} without the backend's credentials or anything shaped like a token. */
    public static String scrub(String text, BackendConfig backend) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = exact(text, backend.apiKey());
        AwsCredentials aws = backend.aws();
        if (aws != null) {
            out = exact(exact(exact(out, aws.secretAccessKey()), aws.sessionToken()), aws.accessKeyId());
        }
        return TOKEN_SHAPES.matcher(out).replaceAll(REDACTED);
    }

    private static String exact(String text, String secret) {
        return secret == null || secret.length() < MIN_EXACT_LENGTH ? text : text.replace(secret, REDACTED);
    }
}
