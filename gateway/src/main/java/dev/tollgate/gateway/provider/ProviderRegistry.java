package dev.tollgate.gateway.provider;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Providers by id. */
public final class ProviderRegistry {

    private final Map<String, Provider> byId;

    public ProviderRegistry(List<Provider> providers) {
        Map<String, Provider> map = new HashMap<>();
        for (Provider p : providers) {
            if (map.put(p.id(), p) != null) {
                throw new IllegalArgumentException("two providers with id " + p.id());
            }
        }
        this.byId = Map.copyOf(map);
    }

    public Provider get(String id) {
        Provider p = byId.get(id);
        if (p == null) {
            throw new IllegalStateException("no provider '" + id + "' (the config loader should have refused it)");
        }
        return p;
    }

    /** The registered provider ids (a test hook: tests check every built-in provider is registered). */
    public Set<String> ids() {
        return byId.keySet();
    }
}
