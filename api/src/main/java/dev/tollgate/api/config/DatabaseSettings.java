package dev.tollgate.api.config;

import java.time.Duration;

/**
 * JDBC connection of the spend ledger: {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}.
 *
 * @param url          JDBC URL
 * @param username     user name, may be null
 * @param password     password, may be null; never logged
 * @param maxPoolSize  largest number of pooled connections
 * @param timeout      longest wait for a pooled connection (on SQLite, for the file lock); a batch write to
 *                     PostgreSQL may take twice this before it fails and the rows are spilled. At least 250 ms
 */
public record DatabaseSettings(String url, String username, String password, int maxPoolSize, Duration timeout) {

    /** The wait for a connection unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The shortest {@link #timeout}. */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(250);

    /** With {@link #DEFAULT_TIMEOUT}. */
    public DatabaseSettings(String url, String username, String password, int maxPoolSize) {
        this(url, username, password, maxPoolSize, DEFAULT_TIMEOUT);
    }

    /** These settings with another {@link #timeout}. */
    public DatabaseSettings withTimeout(Duration wait) {
        return new DatabaseSettings(url, username, password, maxPoolSize, wait);
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
        String safeUrl = url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        return "DatabaseSettings[url=" + safeUrl + ", username=" + username + ", password=" + (password == null ? "null" : "***")
                + ", maxPoolSize=" + maxPoolSize + ", timeout=" + timeout + "]";
    }
}
