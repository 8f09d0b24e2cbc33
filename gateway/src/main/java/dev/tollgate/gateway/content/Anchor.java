package dev.tollgate.gateway.content;

import java.util.Arrays;

/**
 * Where in a text a rule's pattern can match at all, found by one plain pass over the characters, so that the
 * pattern runs over those regions only instead of trying every position (a regex costs tens of nanoseconds per
 * position it tries; these passes a few). Each region is a {@code [start, end)} pair; a match lies inside one.
 */
enum Anchor {

    /** The whole text. */
    WHOLE_TEXT {
        @Override
        int[] regions(String s) {
            return new int[] {0, s.length()};
        }
    },

    /** Runs of digits, spaces and {@code ( ) + . / -} with at least four digits: phone, card, SSN and IPv4 shapes. */
    NUMBERS {
        @Override
        int[] regions(String s) {
            Regions out = new Regions();
            int i = 0;
            while (i < s.length()) {
                if (!isNumberChar(s.charAt(i))) {
                    i++;
                    continue;
                }
                int start = i;
                int digits = 0;
                while (i < s.length() && isNumberChar(s.charAt(i))) {
                    if (isDigit(s.charAt(i))) {
                        digits++;
                    }
                    i++;
                }
                if (digits >= 4) {
                    out.add(start, i);
                }
            }
            return out.toArray();
        }
    },

    /** Around each {@code @}: the local part's characters before it, the domain's after it. */
    AT_SIGN {
        @Override
        int[] regions(String s) {
            Regions out = new Regions();
            for (int at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
                int start = at;
                while (start > 0 && at - start < 64 && isLocalPartChar(s.charAt(start - 1))) {
                    start--;
                }
                int end = at + 1;
                while (end < s.length() && end - at < 256 && isDomainChar(s.charAt(end))) {
                    end++;
                }
                out.add(start, end);
            }
            return out.toArray();
        }
    },

    /** From each pair of letters and two digits that starts a word, as far as an IBAN can reach. */
    IBAN_START {
        @Override
        int[] regions(String s) {
            Regions out = new Regions();
            for (int i = 0; i + 4 <= s.length(); i++) {
                if (isAsciiLetter(s.charAt(i)) && isAsciiLetter(s.charAt(i + 1)) && isDigit(s.charAt(i + 2))
                        && isDigit(s.charAt(i + 3)) && (i == 0 || !(isAsciiLetter(s.charAt(i - 1)) || isDigit(s.charAt(i - 1))))) {
                    out.add(i, Math.min(s.length(), i + 48));
                }
            }
            return out.toArray();
        }
    },

    /** Runs of hex digits and colons with at least two colons: IPv6 shapes. */
    COLONS {
        @Override
        int[] regions(String s) {
            Regions out = new Regions();
            int i = s.indexOf(':');
            while (i >= 0) {
                int start = i;
                while (start > 0 && isHexOrColon(s.charAt(start - 1))) {
                    start--;
                }
                int end = i;
                int colons = 0;
                while (end < s.length() && isHexOrColon(s.charAt(end))) {
                    if (s.charAt(end) == ':') {
                        colons++;
                    }
                    end++;
                }
                if (colons >= 2) {
                    out.add(start, end);
                }
                i = s.indexOf(':', end);
            }
            return out.toArray();
        }
    },

    /** Runs of exactly 40 base64 characters ({@code A–Z a–z 0–9 / +}): AWS secret key shapes. */
    BASE64_40 {
        @Override
        int[] regions(String s) {
            Regions out = new Regions();
            int i = 0;
            while (i < s.length()) {
                if (!isBase64(s.charAt(i))) {
                    i++;
                    continue;
                }
                int start = i;
                while (i < s.length() && isBase64(s.charAt(i))) {
                    i++;
                }
                if (i - start == 40) {
                    out.add(start, i);
                }
            }
            return out.toArray();
        }
    };

    /** The regions of {@code s}, as {@code [start0, end0, start1, end1, …]} in text order, not overlapping. */
    abstract int[] regions(String s);

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isNumberChar(char c) {
        return isDigit(c) || c == ' ' || c == '(' || c == ')' || c == '+' || c == '.' || c == '/' || c == '-';
    }

    private static boolean isLocalPartChar(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomainChar(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '-';
    }

    private static boolean isHexOrColon(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':';
    }

    private static boolean isBase64(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '/' || c == '+';
    }

    /** Regions in text order; one that overlaps or touches the last is merged into it. */
    private static final class Regions {
        private int[] bounds = new int[8];
        private int size;

        void add(int start, int end) {
            if (size > 0 && start <= bounds[size - 1]) {
                bounds[size - 1] = Math.max(bounds[size - 1], end);
                return;
            }
            if (size + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[size++] = start;
            bounds[size++] = end;
        }

        int[] toArray() {
            return Arrays.copyOf(bounds, size);
        }
    }
}
