package dev.tollgate.gateway.auth;

import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.error.GatewayException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;

/**
 * Turns a presented key into its policy: SHA-256 of the key, look-up by hash, constant-time confirmation of the
 * hash, then expiry, suspension and rotation grace checks. The plaintext is never stored or logged.
 */
public final class Authenticator {

    private final Clock clock;

    public Authenticator(Clock clock) {
        this.clock = clock;
    }

    /**
     * The policy of the key presented in either header; throws (401) when there is none or it is not valid now.
     *
     * @param authorization the {@code Authorization} header, may be null
     * @param apiKey        the {@code api-key} header, may be null
     */
    public KeyPolicy authenticate(RuntimeConfig config, String authorization, String apiKey) {
        String presented = presentedKey(authorization, apiKey);
        if (presented == null) {
            throw GatewayException.invalidApiKey("You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'api-key: <key>'.");
        }
        String hash = KeyHashes.hash(presented);
        KeyPolicy key = config.keyByHash(hash);
        if (key == null || !constantTimeEquals(hash, key.hash())) {
            throw GatewayException.invalidApiKey("Incorrect API key provided: " + hint(presented) + ".");
        }
        Instant now = clock.instant();
        if (key.validUntil() != null && !now.isBefore(key.validUntil())) {
            throw GatewayException.invalidApiKey("This API key was rotated and its grace period has ended; use the new key.");
        }
        if (key.config().suspended()) {
            throw GatewayException.invalidApiKey("This API key is suspended.");
        }
        if (key.config().expiresAt() != null && !now.isBefore(key.config().expiresAt())) {
            throw GatewayException.invalidApiKey("This API key expired at " + key.config().expiresAt() + ".");
        }
        return key;
    }

    /** Extracts the key from {@code Authorization: Bearer <key>} or {@code api-key: <key>}; null when neither. */
    public static String presentedKey(String authorization, String apiKey) {
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String key = authorization.substring(7).trim();
                return key.isEmpty() ? null : key;
            }
            return null;
        }
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        return null;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** The last four characters only, as OpenAI does. */
    private static String hint(String key) {
        return key.length() <= 8 ? "****" : "****" + key.substring(key.length() - 4);
    }
}
