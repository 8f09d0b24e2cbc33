package dev.tollgate.api.config;

/**
 * JDBC connection of the spend ledger: {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}.
 *
 * @param url          JDBC URL
 * @param username     user name, may be null
 * @param password     password, may be null; never logged
 * @param maxPoolSize  largest number of pooled connections
 */
public record DatabaseSettings(String url, String username, String password, int maxPoolSize) {

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
        String safeUrl = url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        return "DatabaseSettings[url=" + safeUrl + ", username=" + username + ", password=" + (password == null ? "null" : "***")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
