package dev.tollgate.gateway.limits;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's rate-limit headers: {@code x-ratelimit-limit-requests}, {@code -remaining-requests},
 * {@code -reset-requests} and the same for {@code -tokens}. Each trio describes the tightest subject (key or team)
 * that has that limit; a trio is absent when neither has it. Reset is when the window will have forgotten what
 * it holds now, as OpenAI writes durations ({@code 1s}, {@code 59s}, {@code 1m0s}).
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static Map<String, String> of(List<LimitOutcome.SubjectUsage> usage) {
        Map<String, String> headers = new HashMap<>(8);
        LimitOutcome.SubjectUsage requests = null;
        LimitOutcome.SubjectUsage tokens = null;
        for (LimitOutcome.SubjectUsage u : usage) {
            if (u.rpmLimit() >= 0 && (requests == null || remaining(u.rpmLimit(), u.usedRequests()) < remaining(requests.rpmLimit(), requests.usedRequests()))) {
                requests = u;
            }
            if (u.tpmLimit() >= 0 && (tokens == null || remaining(u.tpmLimit(), u.usedTokens()) < remaining(tokens.tpmLimit(), tokens.usedTokens()))) {
                tokens = u;
            }
        }
        if (requests != null) {
            headers.put("x-ratelimit-limit-requests", Long.toString(requests.rpmLimit()));
            headers.put("x-ratelimit-remaining-requests", Long.toString(remaining(requests.rpmLimit(), requests.usedRequests())));
            headers.put("x-ratelimit-reset-requests", duration(requests.resetMillis()));
        }
        if (tokens != null) {
            headers.put("x-ratelimit-limit-tokens", Long.toString(tokens.tpmLimit()));
            headers.put("x-ratelimit-remaining-tokens", Long.toString(remaining(tokens.tpmLimit(), tokens.usedTokens())));
            headers.put("x-ratelimit-reset-tokens", duration(tokens.resetMillis()));
        }
        return Map.copyOf(headers);
    }

    private static long remaining(long limit, long used) {
        return Math.max(0, limit - used);
    }

    /** {@code 850ms}, {@code 12s}, {@code 1m1s}: the format OpenAI uses for reset durations. */
    static String duration(long millis) {
        if (millis < 1000) {
            return Math.max(0, millis) + "ms";
        }
        long seconds = (millis + 999) / 1000;
        return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s";
    }
}
