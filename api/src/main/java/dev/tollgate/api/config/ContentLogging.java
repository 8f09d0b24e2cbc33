package dev.tollgate.api.config;

/** Whether prompt and completion text may be logged. Default {@link #OFF}. */
public enum ContentLogging {
    OFF, REDACTED, FULL
}
