package dev.tollgate.gateway.config;

import dev.tollgate.api.config.ConfigException;
import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.scheduling.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Re-reads the configuration file when its content changes. Polls a content digest rather than using a
 * WatchService: Kubernetes updates mounted Secrets by swapping symlinks, which file events miss. A valid file
 * is swapped in whole; an invalid one is logged (every error, with its field path), counted, and ignored.
 */
public final class ConfigFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final ConfigLoader loader;
    private final ConfigHolder holder;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private byte[] lastDigest;

    public ConfigFileWatcher(Path file, ConfigLoader loader, ConfigHolder holder, GatewayMetrics metrics, Duration interval) {
        this.file = file;
        this.loader = loader;
        this.holder = holder;
        this.metrics = metrics;
        this.lastDigest = digest();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-config-watcher");
            t.setDaemon(true);
            return t;
        });
        Periodic.schedule(scheduler, interval, this::check);
    }

    /** Checks the file once; public so tests need not wait for the timer. */
    public synchronized void check() {
        byte[] digest = digest();
        if (digest == null || Arrays.equals(digest, lastDigest)) {
            return;
        }
        lastDigest = digest;
        try {
            GatewayConfig next = loader.load(file);
            holder.swap(next);
            metrics.configReloaded(true);
            LOG.info("configuration reloaded from {} (version {})", file, holder.current().version());
        } catch (ConfigException e) {
            metrics.configReloaded(false);
            LOG.error("configuration in {} rejected, still serving version {}: {}", file, holder.current().version(), e.getMessage());
        } catch (RuntimeException e) {
            metrics.configReloaded(false);
            LOG.error("configuration in {} could not be loaded, still serving version {}: {}", file, holder.current().version(), e.toString());
        }
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
