package dev.tollgate.gateway.provider.mistral;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Mistral accepts only tool-call ids of exactly 9 letters and digits. Ids made elsewhere (an OpenAI {@code call_...}
 * id in a conversation that moved to Mistral) are replaced by 9 characters derived from their SHA-256, the same for
 * the assistant's call and the tool's answer, so the pair still matches. Mistral's own ids pass unchanged.
 */
final class MistralToolCallIds {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    static final int LENGTH = 9;

    private MistralToolCallIds() {
    }

    static String toMistral(String id) {
        if (valid(id)) {
            return id;
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[(hash[i] & 0xff) % ALPHABET.length];
        }
        return new String(out);
    }

    static boolean valid(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
