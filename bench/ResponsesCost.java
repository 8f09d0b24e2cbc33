import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.inbound.responses.ResponsesApi;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.usage.Usage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * CPU cost of serving {@code /v1/responses} on a translated backend, on top of chat's own work: parsing and translating
 * the request (Responses body → chat body → the chat request checks) and translating the whole answer back (chat
 * completion → Responses object), per request, against chat's parse of the equivalent chat body:
 * {@code java -cp <gateway jar> bench/ResponsesCost.java [seconds per round]}. Prints one table row per case: CPU µs
 * per request (median and range of 5 rounds, this thread's CPU time). Not a test.
 */
public class ResponsesCost {

    static final String SHORT = """
            {"model":"gpt","instructions":"You are terse.","input":"What is the capital of France?","max_output_tokens":256}""";
    static final String SHORT_CHAT = """
            {"model":"gpt","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"What is the capital of France?"}],
             "max_completion_tokens":256}""";
    static final String AGENT = agentTurn();
    static final byte[] ANSWER = ("{\"id\":\"chatcmpl-Bx1\",\"object\":\"chat.completion\",\"created\":1750000000,\"model\":\"gpt-4.1\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris is the capital of France.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":8,\"total_tokens\":38}}")
            .getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        Provider chat = new Provider() {
            @Override
            public String id() {
                return "vllm";
            }

            @Override
            public ProviderResponse call(ProviderRequest request) {
                return new ProviderResponse(ANSWER, new Usage(30, 8, 0, 0, false), null);
            }

            @Override
            public StreamResult stream(ProviderRequest request, ChunkSink sink) {
                throw new UnsupportedOperationException();
            }
        };
        BackendConfig backend = new BackendConfig("b", "vllm", "gpt-4.1", URI.create("http://127.0.0.1:1/v1"), null, 1, 0, null, null);
        byte[] shortBody = SHORT.getBytes(StandardCharsets.UTF_8);
        byte[] shortChat = SHORT_CHAT.getBytes(StandardCharsets.UTF_8);
        byte[] agentBody = AGENT.getBytes(StandardCharsets.UTF_8);
        System.out.println("| case | CPU µs per request, median (min–max of 5 rounds) |");
        System.out.println("|---|---|");
        row("chat: ModelRequest.parse of the short request's chat body (the baseline)", seconds,
                () -> ModelRequest.parse(Endpoint.CHAT, shortChat).model().length());
        row("responses: parse + translate, short request (" + shortBody.length + " B)", seconds,
                () -> new ResponsesApi().parse(Endpoint.RESPONSES, shortBody).model().length());
        row("responses: parse + translate, agent turn with 4 tools and 12 items (" + agentBody.length + " B)", seconds,
                () -> new ResponsesApi().parse(Endpoint.RESPONSES, agentBody).model().length());
        byte[] agentChat = new ResponsesApi().parse(Endpoint.RESPONSES, agentBody).body().toString().getBytes(StandardCharsets.UTF_8);
        row("chat: ModelRequest.parse of the agent turn's chat body (" + agentChat.length + " B, the baseline)", seconds,
                () -> ModelRequest.parse(Endpoint.CHAT, agentChat).model().length());
        row("responses: short request parsed, and its whole answer translated back", seconds, () -> {
            ResponsesApi api = new ResponsesApi();
            ModelRequest request = api.parse(Endpoint.RESPONSES, shortBody);
            ProviderRequest call = new ProviderRequest("req_1", Endpoint.CHAT, backend, request.body(), false, false,
                    Duration.ofSeconds(30), false, Duration.ofSeconds(5), null);
            return api.call(chat, call).body().length;
        });
    }

    private static void row(String name, double seconds, Supplier<Integer> work) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] perRequest = new double[5];
        run(work, seconds, cpu); // warm-up
        for (int round = 0; round < perRequest.length; round++) {
            perRequest[round] = run(work, seconds, cpu);
        }
        Arrays.sort(perRequest);
        System.out.printf("| %s | %.1f (%.1f–%.1f) |%n", name, perRequest[2], perRequest[0], perRequest[4]);
    }

    private static double run(Supplier<Integer> work, double seconds, ThreadMXBean cpu) {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        long start = cpu.getCurrentThreadCpuTime();
        long n = 0;
        int sink = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 50; i++) {
                sink += work.get();
                n++;
            }
        }
        if (sink == 42) {
            System.out.println();
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1e3 / n;
    }

    private static String agentTurn() {
        StringBuilder tools = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            tools.append(i == 0 ? "" : ",").append("""
                    {"type":"function","name":"tool_%d","description":"Reads or changes file %d of the workspace.",
                     "parameters":{"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},"required":["path"]}}"""
                    .formatted(i, i));
        }
        StringBuilder input = new StringBuilder("{\"role\":\"user\",\"content\":\"Fix the failing test in the parser module.\"}");
        for (int i = 0; i < 4; i++) {
            input.append(",{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Reading file ")
                    .append(i).append(".\",\"annotations\":[]}]}")
                    .append(",{\"type\":\"function_call\",\"call_id\":\"call_").append(i).append("\",\"name\":\"tool_").append(i)
                    .append("\",\"arguments\":\"{\\\"path\\\":\\\"src/File").append(i).append(".java\\\"}\"}")
                    .append(",{\"type\":\"function_call_output\",\"call_id\":\"call_").append(i).append("\",\"output\":\"")
                    .append("class File").append(i).append(" { int parse(String s) { return Integer.parseInt(s.trim()); } }\\n".repeat(20))
                    .append("\"}");
        }
        return "{\"model\":\"gpt\",\"instructions\":\"You are a careful coding agent.\",\"tools\":[" + tools + "],\"input\":[" + input + "]}";
    }
}
