package dev.tollgate.gateway.content;

import dev.tollgate.api.config.ContentSettings;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and masks personal data and secrets in text: e-mail addresses, phone numbers, payment cards (Luhn
 * checked), US SSNs, IBANs (mod-97 checked), IPv4/IPv6 addresses, OpenAI/Anthropic keys, AWS access key ids,
 * GitHub tokens, JWTs, PEM private keys, and custom patterns. Every pattern is compiled once, here; a match
 * becomes {@code [REDACTED:<KIND>]}. Where matches overlap, the rule listed first wins (secrets before numbers).
 * Thread-safe.
 */
public final class Redactor {

    /** A found span of {@code kind} in {@code [start, end)}. */
    public record Match(String kind, int start, int end) {
    }

    private record Rule(String kind, Pattern pattern, Predicate<String> valid) {
    }

    private static final String IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    private static final List<Rule> BUILT_IN = List.of(
            rule("PEM_PRIVATE_KEY", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
            rule("JWT", "(?<![\\w-])eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{8,}(?![\\w-])"),
            rule("ANTHROPIC_KEY", "(?<![\\w-])sk-ant-[A-Za-z0-9_-]{20,}(?![\\w-])"),
            rule("OPENAI_KEY", "(?<![\\w-])sk-(?:proj-|svcacct-|admin-|tg-)?[A-Za-z0-9_-]{16,}(?![\\w-])"),
            rule("AWS_ACCESS_KEY", "(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
            rule("GITHUB_TOKEN", "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"),
            rule("EMAIL", "(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![\\w-])"),
            rule("IBAN", "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])", Redactor::ibanChecksumOk),
            rule("CARD", "(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])", Redactor::luhnOk),
            rule("SSN", "(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![\\d-])"),
            rule("PHONE", "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}"
                    + "|(?:\\(\\d{3}\\) ?|\\d{3}[-. ])\\d{3}[-. ]\\d{4})(?![\\w-]|\\.\\d)", Redactor::phoneDigitsOk),
            rule("IPV4", "(?<![\\w.])(?:" + IPV4_OCTET + "\\.){3}" + IPV4_OCTET + "(?![\\w]|\\.\\d)"),
            rule("IPV6", "(?<![\\w:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?![\\w:])", Redactor::ipv6Ok));

    private final List<Rule> rules;

    /** A redactor with the built-in kinds only. */
    public Redactor() {
        this(List.of());
    }

    /** A redactor with the built-in kinds and custom patterns (reported as their upper-cased names). */
    public Redactor(List<ContentSettings.RedactPattern> custom) {
        List<Rule> all = new ArrayList<>(BUILT_IN);
        for (ContentSettings.RedactPattern p : custom) {
            all.add(new Rule(p.name().toUpperCase(Locale.ROOT), Pattern.compile(p.regex()), s -> true));
        }
        this.rules = List.copyOf(all);
    }

    /** The non-overlapping matches in {@code text}, in text order. */
    public List<Match> find(String text) {
        List<Match> candidates = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                if (m.end() > m.start() && rule.valid().test(m.group())) {
                    candidates.add(new Match(rule.kind(), m.start(), m.end()));
                }
            }
        }
        // Earlier rules win an overlap: the candidates are already in rule order.
        List<Match> accepted = new ArrayList<>();
        for (Match c : candidates) {
            boolean overlaps = false;
            for (Match a : accepted) {
                if (c.start() < a.end() && a.start() < c.end()) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                accepted.add(c);
            }
        }
        accepted.sort(Comparator.comparingInt(Match::start));
        return accepted;
    }

    /** The text with every match replaced by {@code [REDACTED:<KIND>]}. */
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

    private static Rule rule(String kind, String regex) {
        return new Rule(kind, Pattern.compile(regex), s -> true);
    }

    private static Rule rule(String kind, String regex, Predicate<String> valid) {
        return new Rule(kind, Pattern.compile(regex), valid);
    }

    static boolean luhnOk(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
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

    static boolean ibanChecksumOk(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private static boolean phoneDigitsOk(String candidate) {
        long digits = candidate.chars().filter(Character::isDigit).count();
        return digits >= 10 && digits <= 15;
    }

    static boolean ipv6Ok(String candidate) {
        int doubleColon = candidate.indexOf("::");
        if (doubleColon >= 0 && candidate.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = candidate.split(":", -1);
        int nonEmpty = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                boolean partOfDoubleColon = doubleColon >= 0;
                if (!partOfDoubleColon) {
                    return false;
                }
                continue;
            }
            if (g.length() > 4) {
                return false;
            }
            nonEmpty++;
        }
        if (doubleColon < 0) {
            return nonEmpty == 8;
        }
        // "::" stands for at least one zero group; a lone leading or trailing ':' is not allowed.
        if ((candidate.startsWith(":") && !candidate.startsWith("::")) || (candidate.endsWith(":") && !candidate.endsWith("::"))) {
            return false;
        }
        return nonEmpty <= 7 && nonEmpty >= 1;
    }
}
