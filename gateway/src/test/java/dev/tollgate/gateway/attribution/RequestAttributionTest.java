package dev.tollgate.gateway.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.ledger.LedgerEntry.Attribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestAttributionTest {

    private static JsonNode body(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void requestWithoutAttributionHasNone() throws Exception {
        assertThat(RequestAttribution.of(null, body("{\"model\":\"m\"}"))).isSameAs(Attribution.NONE);
    }

    @Test
    void headerTagsMetadataPairsAndUserAreRead() throws Exception {
        Attribution a = RequestAttribution.of(" nightly, feature=search ,,nightly",
                body("{\"user\":\"user-42\",\"metadata\":{\"env\":\"prod\",\"feature\":\"search\"}}"));

        assertThat(a.user()).isEqualTo("user-42");
        assertThat(a.tags()).containsExactly("nightly", "feature=search", "env=prod");
    }

    @Test
    void emptyUserAndEmptyHeaderAttributeNothing() throws Exception {
        Attribution a = RequestAttribution.of(" , ", body("{\"user\":\"\",\"metadata\":{}}"));

        assertThat(a.user()).isNull();
        assertThat(a.tags()).isEmpty();
    }

    @Test
    void tagsMayHoldCommasOnlyThroughMetadata() throws Exception {
        assertThat(RequestAttribution.of(null, body("{\"metadata\":{\"title\":\"a, b\"}}")).tags()).containsExactly("title=a, b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"user\":7}                                          | user",
            "{\"user\":\"%s\"}                                     | user",
            "{\"metadata\":{\"k\":1}}                              | metadata.k",
            "{\"metadata\":{\"k\":\"%s\"}}                         | metadata.k",
    })
    void outOfBoundsFieldsAreRefusedNamingTheField(String template, String param) {
        String json = template.strip().formatted("x".repeat(600));

        assertThatThrownBy(() -> RequestAttribution.of(null, body(json)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(param);
                });
    }

    @Test
    void tooManyMetadataPairsOrTooLongAKeyAreRefused() throws Exception {
        StringBuilder many = new StringBuilder("{\"metadata\":{");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        JsonNode tooMany = body(many.append("}}").toString());
        JsonNode longKey = body("{\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}");

        for (JsonNode b : new JsonNode[] {tooMany, longKey}) {
            assertThatThrownBy(() -> RequestAttribution.of(null, b))
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("metadata"));
        }
    }

    @Test
    void headerOutOfBoundsIsRefusedNamingTheHeader() throws Exception {
        JsonNode b = body("{}");
        String seventeen = IntStream.range(0, 17).mapToObj(i -> "t" + i).collect(Collectors.joining(","));

        for (String header : new String[] {seventeen, "x".repeat(129), "a\u0001b"}) {
            assertThatThrownBy(() -> RequestAttribution.of(header, b))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo(RequestAttribution.TAGS_HEADER);
                        assertThat(e.getMessage()).contains("x-tollgate-tags");
                    });
        }
    }
}
