package dev.tollgate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;

import java.util.Map;

/**
 * An {@code x-kubernetes-validations} rule compiled and run as the API server does: {@code self} typed from the rule's
 * schema node, the options Kubernetes sets (cross-type numeric comparisons, homogeneous literals), the standard library
 * and, of the Kubernetes libraries, those the rules use: strings and URLs ({@code isURL}, {@code url},
 * {@code getScheme}, {@code getHost}, {@code getHostname}). Not modelled: the cost budget and transition rules.
 */
final class KubernetesCel {

    private static final OpaqueType URL = OpaqueType.create("kubernetes.URL");
    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableHomogeneousLiterals(true)
            .build();

    private final JsonNode schema;
    private final CelRuntime.Program program;

    private KubernetesCel(JsonNode schema, CelRuntime.Program program) {
        this.schema = schema;
        this.program = program;
    }

    /** Compiles the rule against its schema node; fails as the API server refuses a CRD whose rule does not compile. */
    static KubernetesCel compile(String rule, JsonNode schema, String typeName) {
        if (rule.contains("oldSelf")) {
            throw new IllegalArgumentException(rule + ": a transition rule; bind oldSelf here before using one");
        }
        CelSchema self = new CelSchema(schema, typeName);
        Cel cel = CelFactory.standardCelBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(self)
                .addVar("self", self.type())
                .setResultType(SimpleType.BOOL)
                .addCompilerLibraries(CelExtensions.strings())
                .addRuntimeLibraries(CelExtensions.strings())
                .addFunctionDeclarations(
                        global("isURL", "string_is_url", SimpleType.BOOL),
                        global("url", "string_to_url", URL),
                        member("getScheme", "url_get_scheme"),
                        member("getHost", "url_get_host"),
                        member("getHostname", "url_get_hostname"))
                .addFunctionBindings(
                        CelFunctionBinding.from("string_is_url", String.class, s -> RequestUri.parse(s).isPresent()),
                        CelFunctionBinding.from("string_to_url", String.class, s -> RequestUri.parse(s)
                                .orElseThrow(() -> new IllegalArgumentException("URL is invalid: " + s))),
                        CelFunctionBinding.from("url_get_scheme", RequestUri.class, RequestUri::scheme),
                        CelFunctionBinding.from("url_get_host", RequestUri.class, RequestUri::host),
                        CelFunctionBinding.from("url_get_hostname", RequestUri.class, RequestUri::hostname))
                .build();
        try {
            return new KubernetesCel(schema, cel.createProgram(cel.compile(rule).getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("rule does not compile: " + rule + "\n" + e.getMessage(), e);
        }
    }

    /** Whether the value (already defaulted) satisfies the rule; an evaluation error refuses, as in the API server. */
    boolean holdsFor(JsonNode value) throws CelEvaluationException {
        return (Boolean) program.eval(Map.of("self", CelSchema.value(schema, value)));
    }

    private static CelFunctionDecl global(String name, String overload, CelType result) {
        return CelFunctionDecl.newFunctionDeclaration(name,
                CelOverloadDecl.newGlobalOverload(overload, result, SimpleType.STRING));
    }

    private static CelFunctionDecl member(String name, String overload) {
        return CelFunctionDecl.newFunctionDeclaration(name,
                CelOverloadDecl.newMemberOverload(overload, SimpleType.STRING, URL));
    }
}
