package dev.tollgate.api.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One receiver of budget alerts. The URL can be a secret itself (a Slack incoming-webhook URL is): it is never
 * printed; {@link #id()} (a SHA-256 prefix of it) names the webhook in logs, metrics and the ledger database.
 *
 * @param url        where alerts are POSTed
 * @param format     body shape
 * @param headers    extra request headers, e.g. {@code Authorization: Bearer ${ALERT_TOKEN}}
 * @param thresholds the percents this webhook is told about; empty means every threshold of the budget
 */
public record WebhookConfig(URI url, WebhookFormat format, Map<String, String> headers, List<Integer> thresholds) {

    public WebhookConfig {
        format = format == null ? WebhookFormat.JSON : format;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
    }

    /** {@code wh-} and the first 12 hex digits of the URL's SHA-256: stable across restarts and pods, reveals nothing. */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
            return "wh-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether this webhook wants to hear about {@code percent}. */
    public boolean wants(int percent) {
        return thresholds.isEmpty() || thresholds.contains(percent);
    }

    /** Never the URL or header values (both may hold credentials). */
    @Override
    public String toString() {
        return "WebhookConfig[" + id() + ", host=" + url.getHost() + ", format=" + format + ", headers=" + headers.keySet()
                + ", thresholds=" + thresholds + "]";
    }
}
