package dev.tollgate.gateway.content;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * The text the redaction patterns run over, with a map back to the original. It differs from the original only
 * where a pattern would otherwise miss a secret:
 * <ul>
 *   <li>compatibility forms are folded by NFKC (full-width digits and letters, ideographic and no-break spaces,
 *   mathematical digits, circled and super/subscript forms), and every other Unicode decimal digit becomes its
 *   ASCII digit ({@code ٤١١١} reads as {@code 4111});</li>
 *   <li>format characters (zero-width space and joiners, soft hyphen) are dropped, so they cannot split a number;</li>
 *   <li>a backslash escape {@code \n}, {@code \t} or {@code \r} written out in code or escaped text reads as two
 *   spaces, so the {@code n} does not glue itself to the phone number or key after it.</li>
 * </ul>
 * Plain ASCII without backslashes (most text) is used as is, without copying.
 */
final class MatchText {

    private final String text;
    private final int[] sourceStart;
    private final int[] sourceEnd;

    private MatchText(String text, int[] sourceStart, int[] sourceEnd) {
        this.text = text;
        this.sourceStart = sourceStart;
        this.sourceEnd = sourceEnd;
    }

    static MatchText of(String original) {
        if (isPlain(original)) {
            return new MatchText(original, null, null);
        }
        int n = original.length();
        StringBuilder out = new StringBuilder(n);
        int[] starts = new int[n + 8];
        int[] ends = new int[n + 8];
        int i = 0;
        while (i < n) {
            int cp = original.codePointAt(i);
            int next = i + Character.charCount(cp);
            String replacement = null;
            if (cp == '\\' && next < n && isEscapeLetter(original.charAt(next))) {
                // "\n" as two characters: both become spaces, each mapped to itself.
                starts = ensure(starts, out.length() + 2);
                ends = ensure(ends, out.length() + 2);
                for (int k = 0; k < 2; k++) {
                    starts[out.length()] = i + k;
                    ends[out.length()] = i + k + 1;
                    out.append(' ');
                }
                i = next + 1;
                continue;
            }
            if (cp < 0x80) {
                replacement = null;
            } else if (Character.getType(cp) == Character.FORMAT) {
                replacement = "";
            } else if (Character.isDigit(cp)) {
                replacement = String.valueOf((char) ('0' + Character.digit(cp, 10)));
            } else if (hasCompatibilityForm(cp)) {
                replacement = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC);
            }
            if (replacement == null) {
                starts = ensure(starts, out.length() + 2);
                ends = ensure(ends, out.length() + 2);
                for (int k = i; k < next; k++) {
                    starts[out.length()] = i;
                    ends[out.length()] = next;
                    out.append(original.charAt(k));
                }
            } else {
                starts = ensure(starts, out.length() + replacement.length());
                ends = ensure(ends, out.length() + replacement.length());
                for (int k = 0; k < replacement.length(); k++) {
                    starts[out.length()] = i;
                    ends[out.length()] = next;
                    out.append(replacement.charAt(k));
                }
            }
            i = next;
        }
        return new MatchText(out.toString(), starts, ends);
    }

    /** The text to match. */
    String text() {
        return text;
    }

    /** Where the view's {@code [start, end)} begins in the original. */
    int originalStart(int start) {
        return sourceStart == null ? start : sourceStart[start];
    }

    /** Where the view's {@code [start, end)} ends in the original ({@code end > start}). */
    int originalEnd(int end) {
        return sourceEnd == null ? end : sourceEnd[end - 1];
    }

    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isEscapeLetter(char c) {
        return c == 'n' || c == 't' || c == 'r';
    }

    /**
     * Blocks whose characters NFKC folds to ASCII-like forms: spaces (U+00A0, U+2000–U+200A, U+202F, U+205F,
     * U+3000), super/subscripts, letter-like and enclosed alphanumerics, full-width forms and mathematical
     * alphanumerics. Other characters (accented letters, CJK) are kept: folding them changes no match.
     */
    private static boolean hasCompatibilityForm(int cp) {
        return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000
                || cp == 0x00B2 || cp == 0x00B3 || cp == 0x00B9
                || (cp >= 0x2070 && cp <= 0x209F)
                || (cp >= 0x2100 && cp <= 0x214F)
                || (cp >= 0x2460 && cp <= 0x24FF)
                || (cp >= 0xFF01 && cp <= 0xFFEE)
                || (cp >= 0x1D400 && cp <= 0x1D7FF);
    }

    private static int[] ensure(int[] a, int size) {
        if (size <= a.length) {
            return a;
        }
        return Arrays.copyOf(a, Math.max(size, a.length * 2));
    }
}
