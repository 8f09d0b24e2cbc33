package dev.tollgate.api.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 hashing of virtual keys in the {@code sha256:<hex>} form used everywhere outside the key Secret. */
public final class KeyHashes {

    public static final String PREFIX = "sha256:";
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private KeyHashes() {
    }

    public static String hash(String plaintextKey) {
        return PREFIX + HexFormat.of().formatHex(digest(plaintextKey));
    }

    public static byte[] digest(String plaintextKey) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(plaintextKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static boolean isWellFormed(String hash) {
        return hash != null && HASH.matcher(hash).matches();
    }
}
