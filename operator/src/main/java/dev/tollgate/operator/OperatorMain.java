package dev.tollgate.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;

/**
 * Runs the operator against the current kubeconfig or, in a pod, the in-cluster config. Environment:
 * {@code TOLLGATE_WATCH_NAMESPACES} (comma-separated, empty = all), {@code TOLLGATE_SPEND_INTERVAL} (default 15s),
 * {@code TOLLGATE_LEADER_ELECTION_NAMESPACE} (set to enable leader election), {@code TOLLGATE_HTTP_PORT} (default 8080:
 * {@code /healthz}, {@code /readyz}, {@code /metrics}; -1 for none).
 */
public final class OperatorMain {

    private OperatorMain() {
    }

    public static void main(String[] args) throws IOException {
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnv(System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("tollgate-operator: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
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
}
