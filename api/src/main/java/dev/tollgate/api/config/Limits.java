package dev.tollgate.api.config;

/**
 * Rate limits; null means unlimited.
 *
 * @param rpm       requests per minute
 * @param tpm       tokens (prompt + completion) per minute
 * @param parallel  requests in flight at once
 */
public record Limits(Integer rpm, Integer tpm, Integer parallel) {

    public static final Limits NONE = new Limits(null, null, null);

    public boolean isEmpty() {
        return rpm == null && tpm == null && parallel == null;
    }
}
