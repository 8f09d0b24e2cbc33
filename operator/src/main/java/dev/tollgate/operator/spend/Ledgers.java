package dev.tollgate.operator.spend;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.operator.cluster.ReferencedSecrets;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * One small read-only connection pool per gateway ledger database, made from the gateway's database Secret and
 * replaced when the Secret's URL or credentials change.
 */
final class Ledgers implements AutoCloseable {

    /** How long a read waits for a connection; the poll of other gateways waits behind it. */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;

    private record Pool(String fingerprint, HikariDataSource dataSource) {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    /** @throws LedgerUnavailable when the database Secret is missing, not labelled for the operator, or has no URL */
    DataSource of(LLMGateway gw, ReferencedSecrets secrets) {
        var db = gw.getSpec().database;
        ReferencedSecrets.Lookup secret = secrets.find(gw.getMetadata().getNamespace(), db.secretName);
        if (!secret.found()) {
            throw new LedgerUnavailable(ReferencedSecrets.NOT_LABELLED.equals(secret.reason()) ? "DatabaseSecretNotLabelled" : "DatabaseSecretNotFound",
                    "database " + secret.problem());
        }
        String url = secret.value(db.urlKey);
        if (url == null) {
            throw new LedgerUnavailable("DatabaseSecretNotFound", "database Secret " + gw.getMetadata().getNamespace() + "/" + db.secretName
                    + " has no key " + db.urlKey);
        }
        String user = secret.value(db.usernameKey);
        String password = secret.value(db.passwordKey);
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
