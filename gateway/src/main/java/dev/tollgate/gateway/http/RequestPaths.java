package dev.tollgate.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request path reduced to what a route could mean by it, for deciding which port and which key a path needs:
 * percent-escapes decoded (repeatedly, so {@code %252e} counts as a dot), empty and {@code .} segments dropped,
 * {@code ..} applied, trailing slashes removed, lower case. {@code GET /metrics/}, {@code //metrics},
 * {@code /METRICS}, {@code /v1/../admin/spend} and {@code /%61dmin/spend} are all management paths, whatever Jetty and
 * Javalin then make of them. Plain paths (the hot path) are returned as they are after one scan, without allocation.
 */
final class RequestPaths {

    private static final int MAX_DECODE_ROUNDS = 3;

    private RequestPaths() {
    }

    static String canonical(String path) {
        if (plain(path)) {
            return path;
        }
        String decoded = path;
        for (int round = 0; round < MAX_DECODE_ROUNDS && decoded.indexOf('%') >= 0; round++) {
            decoded = decodePercent(decoded);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : decoded.replace('\\', '/').split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.removeLast();
                }
                continue;
            }
            segments.add(segment);
        }
        return "/" + String.join("/", segments).toLowerCase(Locale.ROOT);
    }

    /** Starts with one slash, no upper case, no escape, no backslash, no empty or dot segment, no trailing slash. */
    private static boolean plain(String path) {
        int n = path.length();
        if (n == 0 || path.charAt(0) != '/' || (n > 1 && path.charAt(n - 1) == '/')) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\' || (c >= 'A' && c <= 'Z') || c > 0x7e
                    || (c == '/' && i + 1 < n && (path.charAt(i + 1) == '/' || path.charAt(i + 1) == '.'))) {
                return false;
            }
        }
        return true;
    }

    /** Decodes {@code %XX} escapes as ISO-8859-1 characters (enough to compare with ASCII route names); leaves bad ones. */
    private static String decodePercent(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = i + 2 < s.length() && c == '%' ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isAdmin(String canonical) {
        return canonical.equals("/admin") || canonical.startsWith("/admin/");
    }

    static boolean isMetrics(String canonical) {
        return canonical.equals("/metrics");
    }

    /** The spend dashboard's static files: no key needed, but served where /admin is (its data comes from there). */
    static boolean isDashboard(String canonical) {
        return canonical.equals("/ui") || canonical.startsWith("/ui/");
    }

    static boolean isManagement(String canonical) {
        return isAdmin(canonical) || isMetrics(canonical) || isDashboard(canonical);
    }

    static boolean isHealth(String canonical) {
        return canonical.startsWith("/health/");
    }
}
