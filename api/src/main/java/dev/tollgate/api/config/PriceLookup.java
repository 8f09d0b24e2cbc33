package dev.tollgate.api.config;

import java.util.Optional;

/** Where the price of a backend that gives no {@code pricing} of its own comes from: the built-in price catalog. */
public interface PriceLookup {

    /** The catalogued price of {@code model} at {@code provider}, if any. */
    Optional<Pricing> find(String provider, String model);

    /** What was searched, for error messages, e.g. {@code the built-in price catalog (as of 2026-09-23)}. */
    String description();
}
