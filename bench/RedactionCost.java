import dev.tollgate.gateway.content.JsonRedaction;
import dev.tollgate.gateway.content.Redactor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CPU cost of content redaction per KB of text, on the content log's background thread (never the request path):
 * {@code java -cp <gateway jar> bench/RedactionCost.java [seconds per round]}. Prints one table row per input: CPU µs
 * per KB (median and range of 5 rounds, this thread's CPU time, so other load on the machine counts less) and what
 * the input is. Not a test.
 */
public class RedactionCost {

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        JsonRedaction redaction = new JsonRedaction(new Redactor());
        Map<String, String> inputs = inputs();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("| input | size | CPU µs per KB, median (min–max of 5 rounds) |");
        System.out.println("|---|---|---|");
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            String text = input.getValue();
            double[] perKb = new double[5];
            run(redaction, text, seconds, cpu); // warm-up
            for (int round = 0; round < perKb.length; round++) {
                perKb[round] = run(redaction, text, seconds, cpu);
            }
            Arrays.sort(perKb);
            System.out.printf("| %s | %,d chars | %.1f (%.1f–%.1f) |%n", input.getKey(), text.length(), perKb[2], perKb[0], perKb[4]);
        }
    }

    /** CPU µs per 1,024 characters over one round of {@code seconds}. */
    private static double run(JsonRedaction redaction, String text, double seconds, ThreadMXBean cpu) {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        long start = cpu.getCurrentThreadCpuTime();
        long chars = 0;
        int sink = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 20; i++) {
                sink += redaction.redactText(text).length();
                chars += text.length();
            }
        }
        if (sink == 42) {
            System.out.println();
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1e3 / (chars / 1024.0);
    }

    private static Map<String, String> inputs() {
        Random random = new Random(7);
        String prose = "The quarterly report shows steady growth in the northern region, where the new distribution "
                + "centre opened in March. Costs rose by 4.2% while revenue grew 7.9%, mostly from repeat customers. "
                + "Next steps: review the supplier contracts, update the forecast for Q3 and plan the team offsite. ";
        String withSecrets = "Customer Dana (dana.k@example.net, +44 20 7946 0958) paid with 4111 1111 1111 1111; "
                // a made-up AWS access key id, written in two parts so no key-shaped literal sits in the source
                + "refund to DE89 3704 0044 0532 0130 00. Server 10.24.7.19 logged key " + "AKIA" + "Q7RSTUVWX2YZ3ABC at 12:04. ";
        String german = "Sehr geehrte Frau Müller, vielen Dank für Ihre Anfrage vom 12.05.2024. Die Lieferung erfolgt "
                + "voraussichtlich in der nächsten Woche; bei Fragen erreichen Sie uns werktags. Mit freundlichen Grüßen ";
        String japanese = "お問い合わせありがとうございます。ご注文の商品は来週発送予定です。ご不明な点がございましたらお気軽にご連絡ください。";
        StringBuilder base64 = new StringBuilder();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        while (base64.length() < 4096) {
            base64.append(alphabet.charAt(random.nextInt(64)));
            if (base64.length() % 77 == 76) {
                base64.append('\n');
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("English prose, nothing to mask, 1 KB", repeat(prose, 1024));
        inputs.put("English prose, nothing to mask, 16 KB", repeat(prose, 16 * 1024));
        inputs.put("prose with 6 secrets per 200 chars", repeat(withSecrets, 4096));
        inputs.put("German prose (non-ASCII)", repeat(german, 4096));
        inputs.put("Japanese prose", repeat(japanese, 4096));
        inputs.put("a base64 blob (worst case for the 40-char key pattern)", base64.toString());
        inputs.put("whole OpenAI answer (JSON), prose content", openAiAnswer(repeat(prose + "\n", 4096)));
        inputs.put("whole OpenAI answer (JSON), content with secrets", openAiAnswer(repeat(withSecrets + "\n", 4096)));
        return inputs;
    }

    private static String repeat(String s, int chars) {
        StringBuilder out = new StringBuilder(chars + s.length());
        while (out.length() < chars) {
            out.append(s);
        }
        return out.substring(0, chars);
    }

    private static String openAiAnswer(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":900,\"total_tokens\":910}}";
    }
}
