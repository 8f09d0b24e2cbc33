package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
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
            gateway pods not degraded        | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"PodsNotReady"},{"type":"Degraded","status":"False","reason":"PodsHealthy"}]}} | Progressing
            gateway degraded                 | {"metadata":{"generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"PodsNotReady"},{"type":"Degraded","status":"True","reason":"CrashLooping"}]}} | Degraded
            degraded, then a new spec        | {"metadata":{"generation":2},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"ImagePullFailed"},{"type":"Degraded","status":"True","reason":"ImagePullFailed"}]}} | Progressing
            """)
    void mapsReadyAndObservedGenerationToArgoHealth(String state, String resource, String expected) throws IOException {
        assertThat(health(resource).get("status").tojstring()).as(state).isEqualTo(expected);
    }

    @Test
    void aDegradedGatewayShowsItsDegradedMessage() throws IOException {
        String message = "container gateway of pod gw-1 cannot pull image gateway:bad (check the image and spec.imagePullSecrets)";
        LuaValue hs = health("""
                {"metadata":{"generation":4},"status":{"observedGeneration":4,"conditions":[
                  {"type":"Ready","status":"False","reason":"ImagePullFailed","message":"1/2 gateway pods ready"},
                  {"type":"Degraded","status":"True","reason":"ImagePullFailed","message":"%s"}]}}""".formatted(message));

        assertThat(hs.get("status").tojstring()).isEqualTo("Degraded");
        assertThat(hs.get("message").tojstring()).isEqualTo(message);
    }

    private static LuaValue health(String resource) throws IOException {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(JSON.readTree(resource)));
        return globals.load(Files.readString(SCRIPT), "argocd-health.lua").call();
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
