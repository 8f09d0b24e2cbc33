package dev.tollgate.api.config;

import java.net.URI;

/**
 * One provider deployment behind a route.
 *
 * @param name       unique name, shown in metrics and the {@code x-tollgate-backend} header
 * @param provider   provider id ({@code openai}, {@code anthropic}, {@code groq}, {@code mock}, ...)
 * @param model      model name sent upstream (the deployment name for Azure, the model id for Bedrock)
 * @param baseUrl    upstream base URL; filled from the provider's default when the provider has one; null for {@code mock}
 * @param apiKey     upstream credential; never logged
 * @param weight     share of traffic under the weighted strategy (1-1000)
 * @param priority   lower is preferred under the priority strategy
 * @param pricing    USD prices; null means the built-in table for {@code model}
 * @param mock       settings of the built-in mock provider, null otherwise
 * @param apiVersion provider API version (Azure {@code api-version}, Anthropic {@code anthropic-version}); null for the default
 * @param region     cloud region (Bedrock), null otherwise
 * @param aws        AWS credentials (Bedrock), null otherwise
 * @param rpm        the provider's requests-per-minute quota for this deployment, null for none
 * @param tpm        the provider's tokens-per-minute quota for this deployment, null for none
 */
public record BackendConfig(
        String name,
        String provider,
        String model,
        URI baseUrl,
        String apiKey,
        int weight,
        int priority,
        Pricing pricing,
        MockSettings mock,
        String apiVersion,
        String region,
        AwsCredentials aws,
        Integer rpm,
        Integer tpm) {


    @Override
    public String toString() {
        return "BackendConfig[name=" + name + ", provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? "null" : "***") + ", weight=" + weight + ", priority=" + priority
                + ", pricing=" + pricing + ", mock=" + mock + ", apiVersion=" + apiVersion + ", region=" + region
                + ", aws=" + aws + ", rpm=" + rpm + ", tpm=" + tpm + "]";
    }
}
