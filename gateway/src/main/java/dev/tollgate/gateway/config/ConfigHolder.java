package dev.tollgate.gateway.config;

import dev.tollgate.api.config.GatewayConfig;

import java.util.concurrent.atomic.AtomicLong;

/** Holds the active configuration behind one volatile reference and swaps it atomically. */
public final class ConfigHolder {

    private final AtomicLong versions = new AtomicLong();
    private volatile RuntimeConfig current;

    public ConfigHolder(GatewayConfig initial) {
        this.current = new RuntimeConfig(initial, versions.incrementAndGet());
    }

    public RuntimeConfig current() {
        return current;
    }

    public void swap(GatewayConfig next) {
        current = new RuntimeConfig(next, versions.incrementAndGet());
    }
}
