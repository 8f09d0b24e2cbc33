package dev.tollgate.api.config;

/**
 * Whether a backend has a price, and what to say when it has none: a model that costs money but is recorded at $0
 * never meets a budget, so an unpriced backend is refused (by the config loader) or left out (by the operator).
 */
public final class BackendPrices {

    /** The built-in mock provider: no upstream, no bill. A mock backend without {@code pricing} costs nothing. */
    public static final String MOCK_PROVIDER = "mock";

    /** How to fix an unpriced backend, in the words of the YAML config and of the ModelRoute spec alike. */
    public static final String HOW_TO_FIX = "add pricing: { inputPerMillion: <USD>, outputPerMillion: <USD> } to the backend, "
            + "or pricing: { free: true } for a self-hosted model";

    private BackendPrices() {
    }

    public static boolean isPriced(String provider, String model, Pricing own, PriceLookup prices) {
        return own != null || MOCK_PROVIDER.equals(provider) || prices.find(provider, model).isPresent();
    }

    /** Why a backend of {@code provider} serving {@code model} has no price (without the fix). */
    public static String why(String provider, String model, PriceLookup prices) {
        return "model '" + model + "' of provider '" + provider + "' has no price: it is not in " + prices.description()
                + " and the backend sets no pricing";
    }
}
