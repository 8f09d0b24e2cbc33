package dev.tollgate.gateway.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values one label takes: the first {@code max} distinct values this pod sees keep their own series, every
 * later one is counted under {@value #OTHER}. Keys and teams are created by application teams, so without a cap their
 * series grow with the fleet's key count; with it a scrape stays bounded whatever they do (docs/observability.md).
 */
final class LabelCap {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    /** @param max distinct values kept; 0 counts every value as {@value #OTHER} */
    LabelCap(int max) {
        this.max = max;
    }

    /** The label value for {@code value}: itself while it is among the first {@code max}, else {@value #OTHER}. */
    String of(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (kept.contains(value)) {
            return value;
        }
        if (kept.size() >= max) {
            return OTHER;
        }
        synchronized (kept) {
            if (kept.size() < max) {
                kept.add(value);
                return value;
            }
        }
        return kept.contains(value) ? value : OTHER;
    }
}
