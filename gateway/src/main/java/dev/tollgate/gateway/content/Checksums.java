package dev.tollgate.gateway.content;

import java.util.Locale;

import java.util.Map;

/** The check digits that tell a payment card or an IBAN from any other number of the same shape. */
final class Checksums {

    /** IBAN length by country (SWIFT IBAN registry). */
    private static final Map<String, Integer> IBAN_LENGTH = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
            Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BI", 27),
            Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28),
            Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
            Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FK", 18),
            Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23),
            Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HN", 28), Map.entry("HR", 21),
            Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26),
            Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28),
            Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21),
            Map.entry("LY", 25), Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19),
            Map.entry("MN", 20), Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28),
            Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28),
            Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24), Map.entry("RS", 22),
            Map.entry("RU", 33), Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SD", 18), Map.entry("SE", 24),
            Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25),
            Map.entry("SV", 28), Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29),
            Map.entry("VA", 22), Map.entry("VG", 24), Map.entry("XK", 20), Map.entry("YE", 30));

    private Checksums() {
    }

    /** The digits of {@code s}, separators dropped. */
    static String digits(String s) {
        StringBuilder d = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                d.append(c);
            }
        }
        return d.toString();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /**
     * A card number: 13–19 digits, Luhn valid, and an issuer prefix that exists (Visa 4; Mastercard 51–55 and
     * 2221–2720; Amex 34, 37; Diners 30, 36, 38, 39; JCB 35; Discover, UnionPay, Maestro 6; Maestro 50, 56–58).
     * The prefix check drops millisecond timestamps and most ids, which start with 1.
     */
    static boolean card(String candidate) {
        String d = digits(candidate);
        if (d.length() < 13 || d.length() > 19 || !luhn(d)) {
            return false;
        }
        int two = Integer.parseInt(d.substring(0, 2));
        int four = Integer.parseInt(d.substring(0, 4));
        return switch (d.charAt(0)) {
            case '2' -> four >= 2221 && four <= 2720;
            case '3' -> two == 30 || (two >= 34 && two <= 39);
            case '4', '6' -> true;
            case '5' -> two == 50 || (two >= 51 && two <= 58);
            default -> false;
        };
    }

    /**
     * Where an IBAN starting at {@code start} ends: exactly its country's length in letters and digits, in groups
     * of four when spaced or hyphenated, with a valid mod-97 check; {@link Rule.Fit#NONE} otherwise. Case does not
     * matter ({@code de89 3704 …} counts).
     */
    static int ibanEnd(String text, int start, int candidateEnd) {
        if (start + 4 > text.length()) {
            return Rule.Fit.NONE;
        }
        Integer length = IBAN_LENGTH.get(text.substring(start, start + 2).toUpperCase(Locale.ROOT));
        if (length == null) {
            return Rule.Fit.NONE;
        }
        int count = 0;
        int remainder = 0;
        int i = start + 4;
        // the check runs over BBAN + country + check digits: the first four come last
        while (count < length - 4 && i < candidateEnd) {
            char c = text.charAt(i);
            if (c == ' ' || c == '-') {
                if (count % 4 != 0) {
                    return Rule.Fit.NONE;
                }
                i++;
                continue;
            }
            remainder = mod97(remainder, c);
            if (remainder < 0) {
                return Rule.Fit.NONE;
            }
            count++;
            i++;
        }
        if (count < length - 4 || (i < text.length() && Character.isLetterOrDigit(text.charAt(i)))) {
            return Rule.Fit.NONE;
        }
        for (int k = start; k < start + 4; k++) {
            remainder = mod97(remainder, text.charAt(k));
        }
        return remainder == 1 ? i : Rule.Fit.NONE;
    }

    private static int mod97(int remainder, char c) {
        if (c >= '0' && c <= '9') {
            return (remainder * 10 + (c - '0')) % 97;
        }
        char u = Character.toUpperCase(c);
        if (u >= 'A' && u <= 'Z') {
            return (remainder * 100 + (u - 'A' + 10)) % 97;
        }
        return -1;
    }
}
