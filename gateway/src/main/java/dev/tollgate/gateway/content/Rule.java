package dev.tollgate.gateway.content;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One way a kind shows up in text: a pattern compiled once; the group that is the secret (0: the whole match); the
 * literals of which the text must hold one for the pattern to be worth running (empty: always run); the
 * {@link Anchor} regions it runs over; and a {@link Fit} that checks a candidate and may shorten it. A rule without
 * a kind claims its matches as not secret (a certificate), so that no later rule masks a part of them.
 */
record Rule(String kind, Pattern pattern, int group, List<String> hints, Anchor anchor, Fit fit) {

    Rule {
        hints = List.copyOf(hints);
    }

    /** Whether {@code text} holds one of the hints (or there are none). */
    boolean worthRunning(String text) {
        if (hints.isEmpty()) {
            return true;
        }
        for (String hint : hints) {
            if (text.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    /** Checks a candidate span {@code [start, end)} of the text and returns where it really ends, or {@link #NONE}. */
    @FunctionalInterface
    interface Fit {

        int NONE = -1;

        /** Accepts every candidate as found. */
        Fit ANY = (text, start, end) -> end;

        int fit(String text, int start, int end);

        /** A fit that keeps or drops the candidate on a test of its text alone. */
        static Fit when(Predicate<String> valid) {
            return (text, start, end) -> valid.test(text.substring(start, end)) ? end : NONE;
        }

        /** Both checks must accept; the second sees the first's end. */
        default Fit and(Fit next) {
            return (text, start, end) -> {
                int e = fit(text, start, end);
                return e == NONE ? NONE : next.fit(text, start, e);
            };
        }
    }
}
