package dev.tollgate.gateway.content;

import java.util.List;
import java.util.regex.Pattern;

import static dev.tollgate.gateway.content.Rule.Fit.NONE;

/**
 * The built-in kinds, in priority order: where two candidates overlap, the rule listed first wins (structured
 * secrets before bare tokens, tokens before numbers). Every pattern is compiled once, when this class loads.
 */
final class BuiltInRules {

    private static final String IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    /**
     * What may not come right before or after a number for it to stand alone: letters, digits, a decimal point, a
     * currency sign, or another group of digits ({@code 4371 0110 7568 6044} holds no phone number).
     */
    private static final String NUMBER_BEFORE = "(?<![\\w+$€£./-])(?<!\\d[ .-])";
    private static final String NUMBER_AFTER = "(?![\\w]|[./-]\\d)";

    /**
     * A PEM body up to the next {@code -----}, never past it and never backtracking (possessive): a text of many
     * BEGIN lines without an END costs linear time, not quadratic.
     */
    private static final String PEM_BODY = "(?:[^-]++|-(?!----))*+";

    private static final Rule.Fit SECRET = Rule.Fit.when(TokenShapes::notPlaceholder);

    static final List<Rule> RULES = List.of(
            // certificates and public keys are not secret: claimed so that no line of them reads as a key
            new Rule(null, Pattern.compile("-----BEGIN (CERTIFICATE|PUBLIC KEY|[A-Z0-9]+ PUBLIC KEY|CERTIFICATE REQUEST)-----"
                    + PEM_BODY + "-----END \\1-----"), 0, List.of("-----BEGIN "), Anchor.WHOLE_TEXT, Rule.Fit.ANY),
            token("PEM_PRIVATE_KEY", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"
                    + "(?:" + PEM_BODY + "-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[A-Za-z0-9+/=\\s]*+)", List.of("PRIVATE KEY"), Rule.Fit.ANY),
            token("JWT", "(?<![\\w-])eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*(?![\\w-])", List.of("eyJ"),
                    Rule.Fit.when(TokenShapes::jwt)),
            token("ANTHROPIC_KEY", "(?<![\\w-])sk-ant-[A-Za-z0-9_-]{20,}(?![\\w-])", List.of("sk-ant-"), SECRET),
            token("OPENAI_KEY", "(?<![\\w-])sk-(?:proj-|svcacct-|admin-|tg-)?[A-Za-z0-9_-]{16,}(?![\\w-])", List.of("sk-"),
                    Rule.Fit.when(TokenShapes::lettersAndDigits).and(SECRET)),
            token("STRIPE_KEY", "(?<![\\w-])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,})(?![\\w-])",
                    List.of("k_live_", "k_test_", "whsec_"), SECRET),
            token("SLACK_TOKEN", "(?<![\\w-])(?:xox[baprse]-(?:\\d+-){1,3}[A-Za-z0-9]{8,}(?:-[A-Za-z0-9]+)?"
                    + "|xapp-\\d-[A-Z0-9]+-\\d+-[A-Za-z0-9]+"
                    + "|https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,})(?![\\w-])",
                    List.of("xox", "xapp-", "hooks.slack.com/"), SECRET),
            token("GOOGLE_API_KEY", "(?<![\\w-])AIza[0-9A-Za-z_-]{35}(?![\\w-])", List.of("AIza"), SECRET),
            token("HUGGINGFACE_TOKEN", "(?<![\\w-])(?:hf_|api_org_)[A-Za-z0-9]{30,40}(?![\\w-])", List.of("hf_", "api_org_"), SECRET),
            token("GITHUB_TOKEN", "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])",
                    List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), SECRET),
            // the literal A first: a pattern that starts with a look-behind pays for it at every position
            token("AWS_ACCESS_KEY", "A(?<![A-Za-z0-9]A)(?:KIA|SIA|BIA|CCA|IDA|ROA|IPA|NPA|NVA|GPA|PKA)[A-Z0-9]{16}(?![A-Za-z0-9])",
                    List.of(), SECRET),
            new Rule("BEARER_TOKEN", Pattern.compile("(?i:\\bbearer)[ \\t]+([A-Za-z0-9._~+/-]{16,}=*)(?![\\w.~+/=-])"), 1,
                    List.of("earer", "EARER"), Anchor.WHOLE_TEXT, Rule.Fit.when(TokenShapes::lettersAndDigits).and(SECRET)),
            new Rule("AWS_SECRET_KEY", Pattern.compile("(?<![A-Za-z0-9/+_-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])"), 0, List.of(),
                    Anchor.BASE64_40, Rule.Fit.when(TokenShapes::awsSecret).and(SECRET)),
            new Rule("EMAIL", Pattern.compile("(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![\\w-])"), 0, List.of(),
                    Anchor.AT_SIGN, TokenShapes::email),
            new Rule("IBAN", Pattern.compile("(?i)(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?:[ -]?[A-Z0-9]{4}){2,8}(?:[ -]?[A-Z0-9]{1,3})?"), 0,
                    List.of(), Anchor.IBAN_START, Checksums::ibanEnd),
            number("CARD", "(?:\\d{4}([ .-])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?|\\d{4}([ .-])\\d{6}\\2\\d{4,5})",
                    Rule.Fit.when(Checksums::card)),
            number("CARD", "\\d{13,19}", Rule.Fit.when(Checksums::card).and(BuiltInRules::notAnId)),
            numberShape("SSN", "(?<![\\w-])(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![\\w-]|\\.\\d)", Rule.Fit.ANY),
            numberShape("SSN", "(?<![\\w-])(?!000|666|9\\d\\d)\\d{3}(?!00)\\d{2}(?!0000)\\d{4}(?![\\w-]|\\.\\d)",
                    (text, start, end) -> Cues.namesAnSsn(text, start) ? end : NONE),
            // international: +cc, an optional (0), then groups; each group is a whole run of digits (possessive), so a
            // long run is never split every possible way (that took 116 ms per KB of "+123…890a")
            numberShape("PHONE", "(?<![\\w+])\\+[1-9]\\d*+(?:[ .-]?\\(0\\))?(?:[ .-]?(?:\\(\\d++\\)|\\d++)){0,6}" + NUMBER_AFTER,
                    digits(8, 15)),
            // North American: (415) 555-0123, 415-555-0123, 415.555.0123, 415 555 0123, 1-415-555-0123
            number("PHONE", "(?:1[ .-]?)?(?:\\([2-9]\\d{2}\\)[ .-]?|[2-9]\\d{2}[ .-])[2-9]\\d{2}[ .-]\\d{4}", Rule.Fit.ANY),
            // national with a trunk 0: 020 7946 0018, 07700 900123, 030 12345678, 0151-23456789, 089/1234567, 01 23 45 67 89
            number("PHONE", "(?:(?:\\(0[1-9]\\d{1,3}\\)|0[1-9]\\d{1,3})(?:[ /-]\\d{2,8}){1,3}|0[1-9](?:[ .]\\d{2}){4})", digits(10, 12)),
            // bare digits: 4155550123 (NANP), 07700900123 (UK), 015123456789 (DE), unless the words before name an id
            number("PHONE", "(?:[2-9]\\d{2}[2-9]\\d{6}|0[1-9]\\d{8,10})", BuiltInRules::notAnId),
            numberShape("IPV4", "(?<![\\w.])(?:" + IPV4_OCTET + "\\.){3}" + IPV4_OCTET + "(?!\\w|\\.\\d)",
                    (text, start, end) -> Cues.namesAVersion(text, start) ? NONE : end),
            new Rule("IPV6", Pattern.compile("(?<![\\w:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?![\\w:])"), 0, List.of(),
                    Anchor.COLONS, Rule.Fit.when(BuiltInRules::ipv6)));

    private BuiltInRules() {
    }

    /** A token found by its literal prefix: runs over the whole text when it holds one of {@code hints}. */
    private static Rule token(String kind, String regex, List<String> hints, Rule.Fit fit) {
        return new Rule(kind, Pattern.compile(regex), 0, hints, Anchor.WHOLE_TEXT, fit);
    }

    /** A number standing alone ({@link #NUMBER_BEFORE}, {@link #NUMBER_AFTER}), looked for in number-shaped runs only. */
    private static Rule number(String kind, String regex, Rule.Fit fit) {
        return numberShape(kind, NUMBER_BEFORE + regex + NUMBER_AFTER, fit);
    }

    /** A pattern of digits and separators with its own boundaries, looked for in number-shaped runs only. */
    private static Rule numberShape(String kind, String regex, Rule.Fit fit) {
        return new Rule(kind, Pattern.compile(regex), 0, List.of(), Anchor.NUMBERS, fit);
    }

    private static Rule.Fit digits(int min, int max) {
        return (text, start, end) -> {
            int n = 0;
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    n++;
                }
            }
            return n >= min && n <= max ? end : NONE;
        };
    }

    private static int notAnId(String text, int start, int end) {
        return Cues.namesAnId(text, start) ? NONE : end;
    }

    /** A full (eight groups) or compressed (one {@code ::}) IPv6 address with at least five hex digits. */
    static boolean ipv6(String candidate) {
        int doubleColon = candidate.indexOf("::");
        if (doubleColon >= 0 && candidate.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        if ((candidate.startsWith(":") && !candidate.startsWith("::")) || (candidate.endsWith(":") && !candidate.endsWith("::"))) {
            return false;
        }
        int groups = 0;
        int hexDigits = 0;
        for (String g : candidate.split(":", -1)) {
            if (g.length() > 4) {
                return false;
            }
            if (!g.isEmpty()) {
                groups++;
                hexDigits += g.length();
            }
        }
        if (hexDigits < 5) {
            return false;
        }
        return doubleColon < 0 ? groups == 8 : groups >= 1 && groups <= 7;
    }
}
