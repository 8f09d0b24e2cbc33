package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.usage.Usage;

/**
 * How a stream ended.
 *
 * @param usage tokens the provider reported, or null when it reported none (the gateway then counts)
 */
public record StreamResult(Usage usage) {
}
