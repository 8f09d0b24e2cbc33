package dev.tollgate.gateway.provider;

import dev.tollgate.api.config.AwsCredentials;
import dev.tollgate.api.config.BackendConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an upstream's error message may and may not show a client. */
class CredentialScrubTest {

    private static BackendConfig backend(String apiKey, AwsCredentials aws) {
        return new BackendConfig("b", "openai", "m", null, apiKey, 1, 0, null, null, null, null, aws, null, null);
    }

    @Test
    void theBackendsExactKeyIsRemovedWhateverItsShape() {
        assertThat(CredentialScrub.scrub("key plainsecret42 is not allowed for this model", backend("plainsecret42", null)))
                .isEqualTo("key [redacted] is not allowed for this model");
    }

    @Test
    void tokenShapedStringsAreRemovedEvenWhenTheyAreNotTheBackendsKey() {
        assertThat(CredentialScrub.scrub("Authorization: Bearer abc.def-ghi_jkl0123 was refused; try sk-proj-AAAABBBBCCCC1234, "
                + "AIzaSyA1234567890abcdefghijkLMNOPQRSTU or AKIAIOSFODNN7EXAMPLE", backend(null, null)))
                .isEqualTo("Authorization: [redacted] was refused; try [redacted], [redacted] or [redacted]");
    }

    @Test
    void awsCredentialsAreRemoved() {
        AwsCredentials aws = new AwsCredentials("AKIDEXAMPLEKEYID", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session-token-value-1");
        assertThat(CredentialScrub.scrub("signature for AKIDEXAMPLEKEYID with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and "
                + "session-token-value-1 does not match", backend(null, aws)))
                .isEqualTo("signature for [redacted] with [redacted] and [redacted] does not match");
    }

    @Test
    void theUsefulRestOfTheMessageStays() {
        String message = "Invalid 'messages[1].content': expected a string, got an object. Use max_tokens <= 4096 (e.g. 'sk' or 'pk' alone).";
        assertThat(CredentialScrub.scrub(message, backend("sk-live-0123456789", null))).isEqualTo(message);
        UpstreamException e = UpstreamException.badResponse("b", message);
        assertThat(CredentialScrub.scrub(e, backend("sk-live-0123456789", null))).isSameAs(e);
    }
}
