package dev.tollgate.api.crd;

import java.util.Locale;
import java.util.Optional;

/**
 * A URL as Go's {@code url.ParseRequestURI} reads it: the parser behind Kubernetes' CEL {@code isURL()} and
 * {@code url()}, ported for the parts the URL library exposes (scheme, host, path, query). An absolute URI or an
 * absolute path; anything else (a bare host, a relative path, a control character, a bad port or escape) is refused.
 */
record RequestUri(String scheme, String host, String path, String query) {

    private static final String HOST_CHARS = "!$&'()*+,;=:[]<>\"-._~%";
    private static final String USERINFO_CHARS = "-._:~!$&'()*+,;=%@";

    /** The parsed URL, or empty where Go returns an error. */
    static Optional<RequestUri> parse(String raw) {
        if (raw.isEmpty() || raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.empty();
        }
        if (raw.equals("*")) {
            return Optional.of(new RequestUri("", "", "*", ""));
        }
        int colon = schemeEnd(raw);
        if (colon == 0) {
            return Optional.empty(); // "missing protocol scheme"
        }
        String scheme = colon < 0 ? "" : raw.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? raw : raw.substring(colon + 1);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (!rest.startsWith("/")) {
            // an opaque URI (mailto:x) when there is a scheme; "invalid URI for request" otherwise
            return scheme.isEmpty() ? Optional.empty() : Optional.of(new RequestUri(scheme, "", "", query));
        }
        String host = "";
        if (!scheme.isEmpty() && rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            rest = slash < 0 ? "" : authority.substring(slash);
            authority = slash < 0 ? authority : authority.substring(0, slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0 && !allowed(authority.substring(0, at), USERINFO_CHARS)) {
                return Optional.empty();
            }
            host = authority.substring(at + 1);
            if (!validHost(host)) {
                return Optional.empty();
            }
        }
        return validEscapes(rest) ? Optional.of(new RequestUri(scheme, host, rest, query)) : Optional.empty();
    }

    /** Go's {@code URL.Hostname()}: the host without port and without IPv6 brackets. */
    String hostname() {
        String h = host;
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && validPort(h.substring(colon))) {
            h = h.substring(0, colon);
        }
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Index of the scheme's colon, 0 for a URL starting with one, -1 when there is no scheme. */
    private static int schemeEnd(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                continue;
            }
            if ((c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') && i > 0) {
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    private static boolean validHost(String host) {
        String port;
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                return false;
            }
            port = host.substring(close + 1);
        } else {
            int colon = host.lastIndexOf(':');
            port = colon < 0 ? "" : host.substring(colon);
        }
        return validPort(port) && allowed(host, HOST_CHARS) && validEscapes(host);
    }

    private static boolean validPort(String colonPort) {
        return colonPort.isEmpty() || colonPort.matches(":[0-9]*");
    }

    private static boolean allowed(String s, String punctuation) {
        return s.chars().allMatch(c -> c >= 0x80 || Character.isLetterOrDigit(c) || punctuation.indexOf(c) >= 0);
    }

    private static boolean validEscapes(String s) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
