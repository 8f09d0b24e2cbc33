package dev.tollgate.gateway.content;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/** Checks on the inside of a candidate secret or address that its pattern cannot express. */
final class TokenShapes {

    /** File extensions that follow an {@code @} in names such as {@code icon@2x.png}; none is a top-level domain. */
    private static final Set<String> FILE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico",
            "js", "mjs", "cjs", "ts", "tsx", "jsx", "css", "scss", "json", "yaml", "yml", "toml", "xml", "html", "htm",
            "txt", "csv", "log", "lock", "java", "kt", "class", "jar", "tgz", "zip");

    private TokenShapes() {
    }

    /** Has a letter and a digit: real keys do, placeholders such as {@code sk-proj-YOUR_API_KEY_HERE} do not. */
    static boolean lettersAndDigits(String s) {
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < s.length() && !(letter && digit); i++) {
            char c = s.charAt(i);
            letter |= Character.isLetter(c);
            digit |= c >= '0' && c <= '9';
        }
        return letter && digit;
    }

    /**
     * An AWS secret access key's shape: 40 base64 characters with upper case, lower case and a digit (which rules out
     * hex digests such as git SHAs) and at most six {@code /} or {@code +} (a random key has more with a probability of 2 in 10,000).
     */
    static boolean awsSecret(String s) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        int symbols = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
            if (c == '/' || c == '+') {
                symbols++;
            }
        }
        return upper && lower && digit && symbols <= 6;
    }

    /** A JWT's header decodes (base64url) to a JSON object that names its algorithm. */
    static boolean jwt(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 2048) {
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8).strip();
            return header.startsWith("{") && header.contains("\"alg\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The end of an e-mail address, unless it is something else of that shape: a file name such as
     * {@code icon@2x.png}, or an scp-style remote such as {@code git@github.com:org/repo.git}.
     */
    static int email(String text, int start, int end) {
        int dot = text.lastIndexOf('.', end - 1);
        String tld = text.substring(dot + 1, end).toLowerCase(Locale.ROOT);
        if (FILE_EXTENSIONS.contains(tld)) {
            return Rule.Fit.NONE;
        }
        if (end + 1 < text.length() && text.charAt(end) == ':' && !Character.isWhitespace(text.charAt(end + 1))) {
            return Rule.Fit.NONE;
        }
        return end;
    }

    /**
     * Not a placeholder: no character six or more times in a row ({@code AKIAXXXXXXXXXXXXXXXX},
     * {@code sk-proj-000000…}); a random key has such a run with a probability far below one in a million.
     */
    static boolean notPlaceholder(String s) {
        int run = 1;
        for (int i = 1; i < s.length(); i++) {
            run = s.charAt(i) == s.charAt(i - 1) ? run + 1 : 1;
            if (run >= 6) {
                return false;
            }
        }
        return true;
    }
}
