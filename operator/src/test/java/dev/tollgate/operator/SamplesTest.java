package dev.tollgate.operator;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.ModelRoute;
import dev.tollgate.api.crd.TeamBudget;
import dev.tollgate.api.crd.VirtualKey;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every manifest in samples/k8s deserializes into its type and the sample is complete (every reference resolves).
 * What the API server checks on apply (the CRDs' schemas and CEL rules) is api's SamplesAgainstCrdsTest.
 */
class SamplesTest {

    @Test
    void theSampleIsCompleteAndEveryDocumentHasItsType() throws IOException {
        List<Samples.Document> docs = Samples.load();

        assertThat(Samples.of(docs, LLMGateway.class)).hasSize(1);
        assertThat(Samples.of(docs, ModelRoute.class)).hasSize(2)
                .anySatisfy(r -> assertThat(r.getSpec().fallbacks).isNotEmpty());
        assertThat(Samples.of(docs, TeamBudget.class)).hasSize(1);
        assertThat(Samples.of(docs, VirtualKey.class)).hasSize(2)
                .allSatisfy(vk -> assertThat(vk.getMetadata().getNamespace()).isEqualTo(Samples.of(docs, TeamBudget.class).getFirst().getMetadata().getNamespace()));
        Set<String> secrets = Samples.of(docs, Secret.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        LLMGateway gw = Samples.of(docs, LLMGateway.class).getFirst();
        assertThat(secrets).contains(gw.getSpec().database.secretName);
        Samples.of(docs, ModelRoute.class).forEach(r -> r.getSpec().backends.forEach(b ->
                assertThat(secrets).contains(b.credentialSecretRef.name)));
        Samples.of(docs, ModelRoute.class).forEach(r -> assertThat(r.getSpec().fallbacks).allSatisfy(f ->
                assertThat(Samples.of(docs, ModelRoute.class)).extracting(x -> x.getMetadata().getName()).contains(f)));
        assertThat(Samples.of(docs, TeamBudget.class).getFirst().getSpec().amountUsd).isEqualByComparingTo(new BigDecimal("500"));
        assertThat(Samples.of(docs, TeamBudget.class).getFirst().getSpec().alerts.webhooks).allSatisfy(w ->
                assertThat(secrets).contains(w.urlSecretRef.name));
    }
}
