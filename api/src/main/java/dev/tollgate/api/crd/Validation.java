package dev.tollgate.api.crd;

/** Patterns shared by the CRD schemas (RE2 syntax: Kubernetes evaluates them, so no look-arounds). */
public final class Validation {

    /** A DNS-1123 label/subdomain, as Kubernetes object names. */
    public static final String NAME = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";
    /** {@code daily}, {@code weekly}, {@code monthly} or a positive duration such as {@code 12h}. */
    public static final String PERIOD = "^(daily|weekly|monthly|[1-9][0-9]*(ms|s|m|h|d))$";
    /** A positive duration in the short form the gateway reads: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}. */
    public static final String DURATION = "^[1-9][0-9]*(ms|s|m|h|d)$";
    /** An RFC 3339 timestamp. */
    public static final String TIMESTAMP = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";
    /** An IANA time zone id ({@code Europe/Berlin}, {@code America/Argentina/Buenos_Aires}) or {@code UTC}; the operator checks it is known. */
    public static final String TIME_ZONE = "^[A-Za-z][-+A-Za-z0-9_]{0,31}(/[-+A-Za-z0-9_]{1,32}){0,2}$";
    /** An AWS region such as {@code us-east-1}. */
    public static final String AWS_REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";
    /** An API version such as {@code 2024-10-21} or {@code v1beta}. */
    public static final String API_VERSION = "^[-._A-Za-z0-9]{1,64}$";
    /** A positive whole storage size with an optional binary or decimal suffix: {@code 1Gi}, {@code 500Mi}, {@code 10G}. */
    public static final String STORAGE_SIZE = "^[1-9][0-9]{0,15}(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
    /** An http(s) URL. */
    public static final String HTTP_URL = "^https?://[^\\s/?#]+[^\\s]*$";

    private Validation() {
    }
}
