package dev.tollgate.gateway.content;

import dev.tollgate.api.config.ContentSettings;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and masks personal data and secrets in decoded text (not in JSON or other escaped text: see
 * {@link JsonRedaction}): e-mail addresses, phone numbers, payment cards, US SSNs, IBANs, IPv4/IPv6 addresses,
 * OpenAI/Anthropic/Stripe/Slack/Google/Hugging Face keys, AWS access key ids and secret keys, GitHub tokens, bearer
 * tokens, JWTs, PEM private keys, and custom patterns ({@link BuiltInRules} has each kind's shapes and checks). The
 * patterns run over a {@link MatchText} (full-width and other compatibility forms folded, written-out {@code \n}
 * escapes split off), each only where it can match ({@link Anchor}); a match becomes {@code [REDACTED:<KIND>]} in
 * the original text. Where matches overlap, the rule listed first wins. Every pattern is compiled once; thread-safe.
 */
public final class Redactor {

    /** A found span of {@code kind} in {@code [start, end)} of the original text. */
    public record Match(String kind, int start, int end) {
    }

    private final List<Rule> rules;

    /** A redactor with the built-in kinds only. */
    public Redactor() {
        this(List.of());
    }

    /** A redactor with the built-in kinds and custom patterns (reported as their upper-cased names). */
    public Redactor(List<ContentSettings.RedactPattern> custom) {
        List<Rule> all = new ArrayList<>(BuiltInRules.RULES);
        for (ContentSettings.RedactPattern p : custom) {
            all.add(new Rule(p.name().toUpperCase(Locale.ROOT), Pattern.compile(p.regex()), 0, List.of(), Anchor.WHOLE_TEXT, Rule.Fit.ANY));
        }
        this.rules = List.copyOf(all);
    }

    /** The non-overlapping matches in {@code text}, in text order. */
    public List<Match> find(String text) {
        MatchText view = MatchText.of(text);
        String s = view.text();
        BitSet taken = new BitSet(s.length());
        List<Match> accepted = new ArrayList<>();
        EnumMap<Anchor, int[]> regions = new EnumMap<>(Anchor.class);
        for (Rule rule : rules) {
            if (!rule.worthRunning(s)) {
                continue;
            }
            int[] bounds = regions.computeIfAbsent(rule.anchor(), a -> a.regions(s));
            Matcher m = rule.pattern().matcher(s).useTransparentBounds(true).useAnchoringBounds(false);
            for (int r = 0; r < bounds.length; r += 2) {
                int from = bounds[r];
                int regionEnd = bounds[r + 1];
                while (from < regionEnd && m.region(from, regionEnd).find()) {
                    from = m.end() > m.start() ? m.end() : m.end() + 1;
                    int start = m.start(rule.group());
                    int end = m.end(rule.group());
                    if (end <= start) {
                        continue;
                    }
                    int fitted = rule.fit().fit(s, start, end);
                    if (fitted == Rule.Fit.NONE) {
                        continue;
                    }
                    from = Math.min(from, fitted); // the pattern ran past the secret: look again right after it
                    int clash = taken.nextSetBit(start);
                    if (clash >= 0 && clash < fitted) {
                        continue; // an earlier rule has (part of) this span
                    }
                    taken.set(start, fitted);
                    if (rule.kind() != null) { // a rule without a kind claims what is not secret
                        accepted.add(new Match(rule.kind(), view.originalStart(start), view.originalEnd(fitted)));
                    }
                }
            }
        }
        accepted.sort(Comparator.comparingInt(Match::start));
        return accepted;
    }

    /** The text with every match replaced by {@code [REDACTED:<KIND>]}; the same instance when nothing matched. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<Match> matches = find(text);
        if (matches.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Match m : matches) {
            out.append(text, at, m.start()).append("[REDACTED:").append(m.kind()).append(']');
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }
}
