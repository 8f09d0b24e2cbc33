package dev.tollgate.gateway;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The one INFO block a gateway logs once it listens: where the ledger is, which endpoints answer on which port,
 * what protects admin and metrics, and whether tracing and content logging are on. Never a password or key.
 */
final class StartupLog {

    private static final Logger LOG = LoggerFactory.getLogger(StartupLog.class);

    /**
     * What the block says.
     *
     * @param apiPort        the bound API port
     * @param managementPort the bound management port, or {@code apiPort} when there is none
     * @param journal        the ledger's crash journal and spill directory
     * @param tracing        the tracer's own description
     */
    record Facts(GatewaySettings settings, int apiPort, int managementPort, Path journal, String tracing) {
    }

    private StartupLog() {
    }

    static void log(Facts facts) {
        LOG.info("Tollgate gateway started\n  {}", String.join("\n  ", lines(facts)));
    }

    static List<String> lines(Facts f) {
        GatewaySettings s = f.settings();
        boolean separate = s.security().managementPort() != null;
        String host = s.host();
        String management = separate
                ? "/admin/*, /metrics on management port " + f.managementPort() + " only (the API port answers them 404)"
                : "/admin/*, /metrics on the API port " + f.apiPort() + " (no management port set)";
        String admin = s.adminKeyHash() == null ? "disabled: no admin key is set (every /admin call is refused)"
                : "protected by the admin key";
        String metrics = separate ? "unauthenticated, reachable only on the management port " + f.managementPort()
                : s.adminKeyHash() == null ? "refused on the API port: no admin key is set (set security.managementPort to serve it)"
                : "on the API port " + f.apiPort() + ", protected by the admin key";
        return List.of(
                "ledger: " + ledger(s.database()) + "; crash journal in " + f.journal().toAbsolutePath(),
                "API: " + host + ":" + f.apiPort() + " (/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models, "
                        + "/v1/messages, /v1/responses; /health/* on every port)",
                "management: " + management,
                "admin endpoints: " + admin,
                "metrics: " + metrics,
                "limits: " + (s.redis() == null ? "per pod (limit / " + s.replicas() + " replica(s))"
                        : "shared in Redis at " + s.redis().url().getHost() + ":" + redisPort(s.redis().url())),
                "tracing: " + f.tracing(),
                "content logging: " + s.contentLogging().name().toLowerCase(Locale.ROOT) + " by default (a key may override it)");
    }

    /** The SQLite file, or the PostgreSQL host, port and database with the user: nothing else of the URL. */
    static String ledger(DatabaseSettings db) {
        String url = db.url();
        if (db.isSqlite()) {
            String file = url.substring("jdbc:sqlite:".length());
            int query = file.indexOf('?');
            file = query >= 0 ? file.substring(0, query) : file;
            file = file.startsWith("file:") ? file.substring(5) : file;
            return "SQLite " + (file.isEmpty() || file.startsWith(":memory:") ? "in memory" : Path.of(file).toAbsolutePath());
        }
        if (url.startsWith("jdbc:postgresql:")) {
            try {
                URI uri = new URI(url.substring("jdbc:".length()));
                String where = (uri.getHost() == null ? "localhost" : uri.getHost()) + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                        + (uri.getPath() == null ? "" : uri.getPath());
                return "PostgreSQL " + where + (db.username() == null ? "" : " as user " + db.username());
            } catch (Exception e) {
                return "PostgreSQL (URL not shown)";
            }
        }
        return "a JDBC database (URL not shown)";
    }

    private static int redisPort(URI url) {
        return url.getPort() > 0 ? url.getPort() : 6379;
    }
}
