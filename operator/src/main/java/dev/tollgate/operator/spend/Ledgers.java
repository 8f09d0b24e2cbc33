package dev.tollgate.operator.spend;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One small read-only connection pool per gateway ledger database, made from the gateway's database Secret and
 * replaced when the Secret's URL or credentials change.
 */
final class Ledgers implements AutoCloseable {

    /** How long a read waits for a connection; the poll of other gateways waits behind it. */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;

    private record Pool(String fingerprint, HikariDataSource dataSource) {
    }

    private final KubernetesClient client;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    Ledgers(KubernetesClient client) {
        this.client = client;
    }

    /** @throws LedgerUnavailable when the database Secret is missing or has no URL */
    DataSource of(LLMGateway gw) {
        var db = gw.getSpec().database;
        Secret secret = client.secrets().inNamespace(gw.getMetadata().getNamespace()).withName(db.secretName).get();
        if (secret == null) {
            throw new LedgerUnavailable("DatabaseSecretNotFound", "database Secret " + gw.getMetadata().getNamespace() + "/" + db.secretName + " not found");
        }
        String url = value(secret, db.urlKey);
        if (url == null) {
            throw new LedgerUnavailable("DatabaseSecretNotFound", "database Secret " + gw.getMetadata().getNamespace() + "/" + db.secretName
                    + " has no key " + db.urlKey);
        }
        String user = value(secret, db.usernameKey);
        String password = value(secret, db.passwordKey);
        String fingerprint = url + "|" + user + "|" + Objects.hashCode(password);
        Pool pool = pools.compute(gw.getMetadata().getUid() + "", (uid, old) -> {
            if (old != null && old.fingerprint().equals(fingerprint)) {
                return old;
            }
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(url);
            c.setUsername(user);
            c.setPassword(password);
            c.setMaximumPoolSize(2);
            c.setReadOnly(true);
            c.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
            c.setPoolName("tollgate-spend-" + gw.getMetadata().getNamespace() + "-" + gw.getMetadata().getName());
            // connects once here: a database that refuses fails this read at once (no pool is kept), retried with backoff
            Pool fresh = new Pool(fingerprint, new HikariDataSource(c));
            if (old != null) {
                old.dataSource().close();
            }
            return fresh;
        });
        return pool.dataSource();
    }

    private static String value(Secret s, String key) {
        String v = s.getData() == null || key == null ? null : s.getData().get(key);
        return v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() {
        pools.values().forEach(p -> p.dataSource().close());
        pools.clear();
    }

    /** A ledger that cannot be read for a reason worth its own condition reason. */
    static final class LedgerUnavailable extends RuntimeException {
        final String reason;

        LedgerUnavailable(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }
}
