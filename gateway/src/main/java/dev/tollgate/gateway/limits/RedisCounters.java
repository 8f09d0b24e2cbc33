package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The fleet's shared counters in Redis: one atomic Lua script per admission ({@code acquire.lua}) and one per
 * release ({@code release.lua}), so an admission costs exactly one round trip. Scripts run by SHA and are re-sent
 * when Redis lost its script cache (a restart). Windows use Redis's clock, so pods with skewed clocks agree.
 * Commands fail fast while disconnected; {@link FleetCounters} then falls back to per-pod shares.
 */
final class RedisCounters implements AutoCloseable {

    private static final String ACQUIRE = script("acquire.lua");
    private static final String RELEASE = script("release.lua");
    private static final String ACQUIRE_SHA = sha1(ACQUIRE);
    private static final String RELEASE_SHA = sha1(RELEASE);

    private final RedisClient client;
    private final String prefix;
    private volatile StatefulRedisConnection<String, String> connection;

    RedisCounters(RedisSettings settings) {
        RedisURI uri = RedisURI.create(settings.url());
        uri.setTimeout(settings.timeout());
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout().multipliedBy(4)).build())
                .build());
        this.prefix = settings.keyPrefix();
    }

    /**
     * Connects if not connected and checks the server answers; throws when it does not, after dropping the
     * connection so that the next ping connects afresh (rather than waiting for Lettuce's reconnect backoff).
     */
    @SuppressWarnings("ReferenceEquality") // the connection this ping used, not an equal one
    void ping() {
        StatefulRedisConnection<String, String> c = connection();
        try {
            c.sync().ping();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (connection == c) {
                    connection = null;
                    CompletableFuture<Void> _ = c.closeAsync(); // nothing waits for the close
                }
            }
            throw e;
        }
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            synchronized (this) {
                c = connection;
                if (c == null) {
                    c = client.connect();
                    connection = c;
                }
            }
        }
        return c;
    }

    LimitOutcome acquire(List<LimitAsk> asks, String leaseId, long leaseTtlMillis) {
        String[] keys = new String[asks.size() * 3];
        String[] args = new String[3 + asks.size() * 4];
        args[0] = Integer.toString(asks.size());
        args[1] = leaseId == null ? "" : leaseId;
        args[2] = Long.toString(Math.max(1000, leaseTtlMillis));
        for (int i = 0; i < asks.size(); i++) {
            LimitAsk a = asks.get(i);
            keys(a.subject(), keys, i * 3);
            args[3 + i * 4] = limit(a.rpm());
            args[4 + i * 4] = limit(a.tpm());
            args[5 + i * 4] = limit(a.parallel());
            args[6 + i * 4] = Long.toString(a.tokens());
        }
        List<Object> reply = eval(ACQUIRE, ACQUIRE_SHA, keys, args);
        long localMillis = System.currentTimeMillis();
        long reset = 61_000L - Math.floorMod(localMillis, 1000);
        if (asLong(reply.get(0)) == 0) {
            int index = (int) asLong(reply.get(1)) - 1;
            LimitKind kind = refusedBy(asLong(reply.get(2)));
            List<LimitOutcome.SubjectUsage> usage = new ArrayList<>();
            for (int i = 0; i <= index; i++) {
                LimitAsk a = asks.get(i);
                usage.add(new LimitOutcome.SubjectUsage(enforced(a.rpm()), i == index && kind == LimitKind.RPM ? a.rpm() : 0,
                        enforced(a.tpm()), i == index && kind == LimitKind.TPM && a.tpm() != null ? a.tpm() : 0,
                        enforced(a.parallel()), i == index && kind == LimitKind.PARALLEL ? a.parallel() : 0, reset));
            }
            return LimitOutcome.refused(index, kind, asLong(reply.get(3)), usage);
        }
        long second = asLong(reply.get(1));
        List<LimitOutcome.SubjectUsage> usage = new ArrayList<>(asks.size());
        for (int i = 0; i < asks.size(); i++) {
            LimitAsk a = asks.get(i);
            usage.add(new LimitOutcome.SubjectUsage(enforced(a.rpm()), asLong(reply.get(2 + i * 3)), enforced(a.tpm()),
                    asLong(reply.get(3 + i * 3)), enforced(a.parallel()), asLong(reply.get(4 + i * 3)), reset));
        }
        return new LimitOutcome(true, -1, null, 0, usage, new LimitHold(true, second, asks, leaseId));
    }

    /** Sends the release without waiting for it; the stage completes when Redis answered. */
    CompletionStage<Object> releaseAsync(LimitHold hold, long tokenDelta, boolean requestReturned) {
        List<LimitAsk> asks = hold.asks();
        String[] keys = new String[asks.size() * 3];
        String[] args = new String[3 + asks.size() * 3];
        args[0] = Integer.toString(asks.size());
        args[1] = hold.leaseId() == null ? "" : hold.leaseId();
        args[2] = Long.toString(hold.bucketSecond());
        for (int i = 0; i < asks.size(); i++) {
            LimitAsk a = asks.get(i);
            keys(a.subject(), keys, i * 3);
            args[3 + i * 3] = a.tpm() == null ? "" : Long.toString(tokenDelta);
            args[4 + i * 3] = a.parallel() == null ? "0" : "1";
            args[5 + i * 3] = a.rpm() != null && requestReturned ? "1" : "0";
        }
        StatefulRedisConnection<String, String> c;
        try {
            c = connection();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return c.async().<Object>evalsha(RELEASE_SHA, ScriptOutputType.INTEGER, keys, args)
                .exceptionallyCompose(e -> isNoScript(e)
                        ? c.async().<Object>eval(RELEASE, ScriptOutputType.INTEGER, keys, args)
                        : CompletableFuture.failedFuture(e));
    }

    private List<Object> eval(String script, String sha, String[] keys, String[] args) {
        StatefulRedisConnection<String, String> c = connection();
        try {
            return c.sync().evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return c.sync().eval(script, ScriptOutputType.MULTI, keys, args);
        }
    }

    private static boolean isNoScript(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof RedisNoScriptException;
    }

    private void keys(String subject, String[] keys, int at) {
        String base = prefix + subject;
        keys[at] = base + ":r";
        keys[at + 1] = base + ":t";
        keys[at + 2] = base + ":p";
    }

    private static String limit(Integer limit) {
        return limit == null ? "-1" : limit.toString();
    }

    private static long enforced(Integer limit) {
        return limit == null ? -1 : limit;
    }

    private static long asLong(Object o) {
        return ((Number) o).longValue();
    }

    private static String script(String name) {
        try (InputStream in = RedisCounters.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** The limit that acquire.lua says refused: 1 rpm, 2 tpm, 3 parallel. */
    private static LimitKind refusedBy(long code) {
        return switch ((int) code) {
            case 1 -> LimitKind.RPM;
            case 2 -> LimitKind.TPM;
            case 3 -> LimitKind.PARALLEL;
            default -> throw new IllegalStateException("acquire.lua named no limit kind: " + code);
        };
    }
}
