package dev.tollgate.operator.key;

import java.security.SecureRandom;
import java.util.Base64;

/** Virtual key plaintext: generated here, stored only in the key Secret, never logged. */
public final class KeyMaterial {

    public static final String PREFIX = "sk-tg-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    /** {@code sk-tg-} followed by 32 random bytes, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The last four characters: enough to tell keys apart, useless to an attacker. */
    public static String hint(String key) {
        return key == null || key.length() < 4 ? null : "…" + key.substring(key.length() - 4);
    }
}
