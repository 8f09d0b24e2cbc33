package dev.tollgate.gateway;

import dev.tollgate.api.config.ConfigException;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Standalone entry point: {@code java -jar tollgate-gateway-all.jar --config samples/standalone.yaml}. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Path config = Path.of(System.getenv().getOrDefault("TOLLGATE_CONFIG", "samples/standalone.yaml"));
        String watchSecret = System.getenv("TOLLGATE_CONFIG_SECRET");
        for (int i = 0; i < args.length; i++) {
            if ("--watch-secret".equals(args[i]) && i + 1 < args.length) {
                watchSecret = args[++i];
            } else if (("--config".equals(args[i]) || "-c".equals(args[i])) && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            } else {
                System.err.println("usage: tollgate --config <file.yaml> [--watch-secret <namespace>/<secret>]");
                System.exit(2);
            }
        }
        if (!Files.isReadable(config)) {
            System.err.println("tollgate: configuration file " + config.toAbsolutePath() + " cannot be read");
            System.exit(2);
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config, System::getenv, Clock.systemUTC(), Duration.ofSeconds(1));
        } catch (ConfigException e) {
            System.err.println("tollgate: " + config + " is not valid:\n  " + String.join("\n  ", e.errors()));
            System.exit(1);
            return;
        }
        if (watchSecret != null && !watchSecret.isBlank()) {
            String namespace = watchSecret.contains("/") ? watchSecret.substring(0, watchSecret.indexOf('/'))
                    : System.getenv().getOrDefault("POD_NAMESPACE", "default");
            String name = watchSecret.substring(watchSecret.indexOf('/') + 1);
            gateway.watchSecret(new KubernetesClientBuilder().build(), namespace, name,
                    config.getFileName().toString(), System::getenv);
            LOG.info("following config Secret {}/{} through the Kubernetes API", namespace, name);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "tollgate-shutdown"));
        LOG.info("Tollgate listening on port {} with {} route(s) and {} key(s) from {}", gateway.port(),
                gateway.config().current().routes().size(), gateway.config().current().source().keys().size(), config);
    }
}
