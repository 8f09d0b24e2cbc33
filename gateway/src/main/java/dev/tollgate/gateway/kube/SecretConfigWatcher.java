package dev.tollgate.gateway.kube;

import dev.tollgate.api.config.ConfigException;
import dev.tollgate.api.config.ConfigLoader;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Cluster mode: watches the gateway's one config Secret through the Kubernetes API (a single named object, so
 * the pod's Role needs only get/list/watch on that name) and swaps the configuration as soon as it changes —
 * seconds faster than the kubelet's refresh of the mounted file, which stays as the fallback. A snapshot that does
 * not validate is logged, counted and ignored; a deleted Secret leaves the last configuration serving.
 */
public final class SecretConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecretConfigWatcher.class);

    private final String namespace;
    private final String name;
    private final String dataKey;
    private final ConfigLoader loader;
    private final ConfigHolder holder;
    private final GatewayMetrics metrics;
    private final SharedIndexInformer<Secret> informer;
    private byte[] lastApplied;

    public SecretConfigWatcher(KubernetesClient client, String namespace, String name, String dataKey,
                               ConfigLoader loader, ConfigHolder holder, GatewayMetrics metrics) {
        this.namespace = namespace;
        this.name = name;
        this.dataKey = dataKey;
        this.loader = loader;
        this.holder = holder;
        this.metrics = metrics;
        this.informer = client.secrets().inNamespace(namespace).withName(name).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                apply(secret);
            }

            @Override
            public void onUpdate(Secret old, Secret secret) {
                apply(secret);
            }

            @Override
            public void onDelete(Secret secret, boolean unknownFinalState) {
                LOG.warn("config Secret {}/{} was deleted; still serving configuration version {}", namespace, name, holder.current().version());
            }
        }, 0);
    }

    private synchronized void apply(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(dataKey);
        byte[] raw = encoded != null ? Base64.getDecoder().decode(encoded)
                : secret.getStringData() != null && secret.getStringData().get(dataKey) != null
                ? secret.getStringData().get(dataKey).getBytes(StandardCharsets.UTF_8) : null;
        if (raw == null) {
            LOG.error("config Secret {}/{} has no key '{}'; still serving configuration version {}", namespace, name, dataKey, holder.current().version());
            metrics.configReloaded(false);
            return;
        }
        if (Arrays.equals(raw, lastApplied)) {
            return;
        }
        lastApplied = raw;
        try {
            holder.swap(loader.parse(new String(raw, StandardCharsets.UTF_8)));
            metrics.configReloaded(true);
            LOG.info("configuration version {} applied from Secret {}/{}", holder.current().version(), namespace, name);
        } catch (ConfigException e) {
            metrics.configReloaded(false);
            LOG.error("configuration in Secret {}/{} rejected, still serving version {}: {}", namespace, name, holder.current().version(), e.getMessage());
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
