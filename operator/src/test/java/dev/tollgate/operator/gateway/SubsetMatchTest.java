package dev.tollgate.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the operator takes an owned object as already matching what it wants (so it writes nothing). */
class SubsetMatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void resourcesTheApiServerStoredCanonicallyMatchTheSpelledOutOnes() throws Exception {
        JsonNode stored = json("{'resources':{'requests':{'cpu':'500m','memory':'1Gi'},'limits':{'memory':'1536Mi'}}}");
        JsonNode wanted = json("{'resources':{'requests':{'cpu':'0.5','memory':'1024Mi'},'limits':{'memory':'1.5Gi'}}}");

        assertThat(SubsetMatch.contains(stored, wanted)).isTrue();
    }

    @Test
    void aDifferentAmountOrAnEqualLookingStringOutsideResourcesIsAChange() throws Exception {
        assertThat(SubsetMatch.contains(json("{'resources':{'requests':{'cpu':'500m'}}}"), json("{'resources':{'requests':{'cpu':'0.6'}}}")))
                .isFalse();
        assertThat(SubsetMatch.contains(json("{'labels':{'tier':'500m'}}"), json("{'labels':{'tier':'0.5'}}"))).isFalse();
        assertThat(SubsetMatch.contains(json("{'resources':{'limits':{'cpu':'lots'}}}"), json("{'resources':{'limits':{'cpu':'1'}}}")))
                .isFalse();
    }
}
