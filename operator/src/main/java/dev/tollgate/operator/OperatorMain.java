package dev.tollgate.operator;

import dev.tollgate.api.BuildInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the operator: in a pod against the in-cluster config, or from a laptop against a kubeconfig
 * ({@code java -jar tollgate-operator-all.jar --kubeconfig ~/.kube/config --context kind-tollgate}). Settings come from
 * flags or environment variables, listed by {@code --help} and in docs/operator.md.
 */
public final class OperatorMain {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

    static final String USAGE = """
            usage: tollgate-operator [options]
              --kubeconfig FILE                  kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account)
              --context NAME                     kubeconfig context (default: the current one)
              --watch-namespaces A,B             namespaces to watch, empty for all          (TOLLGATE_WATCH_NAMESPACES)
              --spend-interval 15s               how often spend is read into status, 0s off (TOLLGATE_SPEND_INTERVAL)
              --resync-interval 5m               reconcile every resource at least this often (TOLLGATE_RESYNC_INTERVAL)
              --leader-election-namespace NS     turn leader election on, lease in NS        (TOLLGATE_LEADER_ELECTION_NAMESPACE)
              --http-port 8080                   /healthz, /readyz, /metrics; -1 for none    (TOLLGATE_HTTP_PORT)
              --gateway-image REF                image of gateways that name none            (TOLLGATE_GATEWAY_IMAGE)
              --version, --help
            """;

    private OperatorMain() {
    }

    public static void main(String[] args) throws IOException {
        String kubeconfig = null;
        String context = null;
        List<String> settingArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return;
                }
                case "--version" -> {
                    System.out.println("tollgate-operator " + BuildInfo.current().version());
                    return;
                }
                case "--kubeconfig", "--context" -> {
                    if (i + 1 >= args.length) {
                        exit(args[i] + " needs a value");
                    }
                    if (args[i].equals("--kubeconfig")) {
                        kubeconfig = args[++i];
                    } else {
                        context = args[++i];
                    }
                }
                default -> settingArgs.add(args[i]);
            }
        }
        OperatorSettings settings;
        try {
            settings = OperatorSettings.from(settingArgs.toArray(String[]::new), System::getenv);
        } catch (IllegalArgumentException e) {
            exit(e.getMessage());
            return;
        }
        if (kubeconfig != null) {
            if (!Files.isReadable(Path.of(kubeconfig))) {
                exit("--kubeconfig: " + kubeconfig + " cannot be read");
            }
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
        LOG.info("tollgate-operator {} against {} (namespaces: {}, gateway image {})", BuildInfo.current().version(),
                client.getMasterUrl(), settings.namespaces().isEmpty() ? "all" : String.join(",", settings.namespaces()), settings.gatewayImage());
        TollgateOperator operator = new TollgateOperator().start(client, settings);
        OperatorHttp http = settings.httpPort() < 0 ? null : OperatorHttp.start(operator, settings.httpPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (http != null) {
                http.close();
            }
            operator.stop();
            client.close();
        }));
    }

    private static void exit(String message) {
        System.err.println("tollgate-operator: " + message + "\n" + USAGE);
        System.exit(2);
    }
}
