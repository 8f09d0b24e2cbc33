package dev.tollgate.gateway.config;

import dev.tollgate.api.config.GatewayConfig;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Holds the active configuration behind one volatile reference and swaps it atomically. */
public final class ConfigHolder {

    private final AtomicLong versions = new AtomicLong();
    private final List<Consumer<RuntimeConfig>> listeners = new CopyOnWriteArrayList<>();
    private volatile RuntimeConfig current;

    public ConfigHolder(GatewayConfig initial) {
        this.current = new RuntimeConfig(initial, versions.incrementAndGet());
    }

    public RuntimeConfig current() {
        return current;
    }

    public void swap(GatewayConfig next) {
        RuntimeConfig compiled = new RuntimeConfig(next, versions.incrementAndGet());
        current = compiled;
        listeners.forEach(l -> l.accept(compiled));
    }

    /** Called after every swap, on the swapping thread. */
    public void onSwap(Consumer<RuntimeConfig> listener) {
        listeners.add(listener);
    }
}
