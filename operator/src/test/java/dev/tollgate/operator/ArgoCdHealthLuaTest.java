package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the chart's Argo CD health script (helm/tollgate/files/argocd-health.lua) on resource states, as Argo CD does. */
class ArgoCdHealthLuaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("../helm/tollgate/files/argocd-health.lua");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not reconciled yet               | {"metadata":{"generation":1}}                                                                                                                   | Progressing
            old generation observed          | {"metadata":{"generation":3},"status":{"observedGeneration":2,"conditions":[{"type":"Ready","status":"True"}]}}                                | Progressing
            ready                            | {"metadata":{"generation":3},"status":{"observedGeneration":3,"conditions":[{"type":"Ready","status":"True","message":"ok"}]}}                  | Healthy
            ready but over budget            | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True"},{"type":"BudgetExceeded","status":"True","message":"spent"}]}} | Degraded
            suspended key                    | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"Suspended"}]}}          | Suspended
            pods starting                    | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"PodsNotReady"}]}}       | Progressing
            pods starting (older operator)   | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"DeploymentNotReady"}]}} | Progressing
            missing credential Secret        | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"SecretNotFound"}]}}     | Degraded
            no Ready condition yet           | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Accepted","status":"True"}]}}                             | Progressing
            """)
    void mapsReadyAndObservedGenerationToArgoHealth(String state, String resource, String expected) throws IOException {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(JSON.readTree(resource)));

        LuaValue hs = globals.load(Files.readString(SCRIPT), "argocd-health.lua").call();

        assertThat(hs.get("status").tojstring()).as(state).isEqualTo(expected);
    }

    private static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable t = new LuaTable();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                t.set(f.getKey(), toLua(f.getValue()));
            }
            return t;
        }
        if (node.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                t.set(i + 1, toLua(node.get(i)));
            }
            return t;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
