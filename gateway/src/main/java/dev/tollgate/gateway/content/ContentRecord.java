package dev.tollgate.gateway.content;

import dev.tollgate.api.config.ContentLogging;

/**
 * One row of {@code content_log}: what a request said and got back, as stored (already redacted when the policy
 * is {@code redacted}).
 */
public record ContentRecord(String requestId, long createdAtMillis, String keyName, ContentLogging policy,
                            String request, String response) {
}
