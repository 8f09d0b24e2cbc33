package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.BuildInfo;
import dev.tollgate.api.config.ContentLogging;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;
import java.util.Map;

/** Shape of the gateway's pods (a StatefulSet) and gateway-wide settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.redisUrlSecretRef) || !has(self.redis)", message = "give either redisUrlSecretRef or redis, not both")
public class LLMGatewaySpec {

    /** The gateway image this build produces; the operator's {@code TOLLGATE_GATEWAY_IMAGE} may name another. */
    public static final String DEFAULT_IMAGE = BuildInfo.current().gatewayImage();

    @Min(0)
    @Max(1000)
    @Default("2")
    @JsonPropertyDescription("Gateway pods when autoscaling is not set.")
    public Integer replicas = 2;

    @JsonPropertyDescription("Horizontal autoscaling on CPU; replaces replicas when set.")
    public Autoscaling autoscaling;

    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Gateway container image.")
    public String image;

    @JsonPropertyDescription("Container resources of a gateway pod.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Secrets for pulling the gateway image from a private registry.")
    public List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("Nodes the gateway pods may run on (pod spec nodeSelector).")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Taints the gateway pods tolerate.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod affinity of the gateway pods.")
    public Affinity affinity;

    @JsonPropertyDescription("How gateway pods spread over zones and nodes; without it (and without a podAntiAffinity) the operator "
            + "spreads them softly (ScheduleAnyway) over zones and hostnames.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @Pattern(Validation.NAME)
    @JsonPropertyDescription("PriorityClass of the gateway pods.")
    public String priorityClassName;

    /** The labels the operator puts on gateway pods, which podLabels may not set. */
    static final String POD_LABELS_RULE = "!['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', "
            + "'app.kubernetes.io/managed-by'].exists(k, k in self)";

    /*
     * A CEL rule rather than a status condition: kubectl apply refuses the spec at once and names the label, while a
     * condition would accept it and report later. The operator still writes its own labels last, so an object stored
     * before this rule (or on an API server without CEL) cannot break the selector either.
     */
    @ValidationRule(value = POD_LABELS_RULE, message = "podLabels must not set app.kubernetes.io/name, app.kubernetes.io/instance, "
            + "app.kubernetes.io/component or app.kubernetes.io/managed-by: the operator sets them and selects the gateway's pods by them")
    @JsonPropertyDescription("Extra labels of the gateway pods; the operator's own app.kubernetes.io/* labels cannot be overridden.")
    public Map<String, String> podLabels;

    @JsonPropertyDescription("Extra annotations of the gateway pods; they override the operator's prometheus.io/* ones "
            + "(e.g. prometheus.io/scrape: \"false\" when a PodMonitor scrapes the pods).")
    public Map<String, String> podAnnotations;

    @JsonPropertyDescription("Where each pod keeps its ledger journal and spill files (/var/lib/tollgate).")
    public Journal journal = new Journal();

    @JsonPropertyDescription("Ledger database; without it each pod keeps a local SQLite ledger (not for production).")
    public Database database;

    @JsonPropertyDescription("Redis URL for fleet-exact rate limits (shorthand of redis.urlSecretRef; without Redis each pod enforces limit / replicas).")
    public SecretKeyRef redisUrlSecretRef;

    @JsonPropertyDescription("Redis for fleet-exact rate limits, with its key prefix and command timeout.")
    public Redis redis;

    @JsonPropertyDescription("Secret key (in the gateway's namespace) holding the admin key; without it the admin endpoints are off. Only its hash reaches the config.")
    public SecretKeyRef adminKeySecretRef;

    @Min(1)
    @Max(10000000)
    @JsonPropertyDescription("Completion tokens assumed for limits and budget reservations when a request sets no max_tokens; default 1024.")
    public Integer defaultMaxTokens;

    @Default("OFF")
    @JsonPropertyDescription("Whether prompt and completion text may be logged.")
    public ContentLogging contentLogging = ContentLogging.OFF;

    @JsonPropertyDescription("Namespaces whose VirtualKeys and TeamBudgets may attach to this gateway.")
    public AllowedNamespaces allowedNamespaces = new AllowedNamespaces();

    @Min(1024)
    @JsonPropertyDescription("Largest request body accepted, in bytes.")
    public Long maxBodyBytes;

    /** The image this gateway runs: its own, or {@code fallback} when it names none. */
    public String imageOr(String fallback) {
        return image == null || image.isBlank() ? fallback : image;
    }

    @JsonPropertyDescription("How the gateway protects itself: management port, shutdown grace, input limits, unauthenticated throttling.")
    public Security security;

    @JsonPropertyDescription("Storage of logged content (when contentLogging is REDACTED or FULL).")
    public Content content;

    @JsonPropertyDescription("OpenTelemetry traces of the gateway's requests, exported over OTLP/HTTP; off without it.")
    public Tracing tracing;

    @JsonPropertyDescription("Console log format of the gateway pods: Text (default), or Json for one JSON object per line.")
    public LogFormat logFormat;

    /** Console log format of the gateway pods (their {@code TOLLGATE_LOG_FORMAT}). */
    public enum LogFormat { Text, Json }

    /** Where the gateway pods export their spans (docs/observability.md). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Tracing {
        @Required
        @Pattern("^https?://[^\\s]+$")
        @JsonPropertyDescription("The collector's OTLP/HTTP traces URL, e.g. http://otel-collector.observability:4318/v1/traces.")
        public String endpoint;

        @Min(0)
        @Max(1)
        @JsonPropertyDescription("Share of new traces recorded, 0 to 1; default 1. A client's traceparent decides for its own trace.")
        public Double samplingRatio;

        @JsonPropertyDescription("service.name of the spans; default tollgate-gateway.")
        public String serviceName;

        @JsonPropertyDescription("Secret key (in the gateway's namespace) holding the collector's headers as name=value pairs separated "
                + "by commas, values URL-encoded (OTEL_EXPORTER_OTLP_HEADERS format), e.g. authorization=Bearer%20...")
        public SecretKeyRef headersSecretRef;
    }

    /** The Secret key holding the Redis URL ({@code redis.urlSecretRef} or the shorthand), or null without Redis. */
    public SecretKeyRef redisUrlRef() {
        return redis != null ? redis.urlSecretRef : redisUrlSecretRef;
    }

    /** The journal volume: a PersistentVolumeClaim per pod (it follows the pod's ordinal), or an emptyDir. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Journal {
        @Default("PersistentVolumeClaim")
        @JsonPropertyDescription("PersistentVolumeClaim: a volume per pod that outlives it, so a rescheduled pod replays its own journal "
                + "(needs a StorageClass); EmptyDir: scratch space lost with the pod, for clusters without a StorageClass.")
        public Storage storage = Storage.PersistentVolumeClaim;

        @Default("1Gi")
        @Pattern(Validation.STORAGE_SIZE)
        @JsonPropertyDescription("Size of each pod's claim (PersistentVolumeClaim only); a change applies to claims created afterwards.")
        public String size = "1Gi";

        @Pattern(Validation.NAME)
        @JsonPropertyDescription("StorageClass of the claims (PersistentVolumeClaim only); absent uses the cluster's default class.")
        public String storageClassName;

        public enum Storage { PersistentVolumeClaim, EmptyDir }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Security {
        @Min(1024)
        @Max(65535)
        @ValidationRule(value = "self != 4000", message = "managementPort must differ from the API port 4000")
        @JsonPropertyDescription("Port for /admin and /metrics (the pods' Prometheus annotation follows it); default 9090. The API port 4000 answers 404 for them.")
        public Integer managementPort;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("How long in-flight requests may run after SIGTERM; default 30s. The pod's termination grace period is set 10s longer.")
        public String shutdownGrace;

        @Min(1024)
        @Max(1048576)
        @JsonPropertyDescription("Largest request line plus headers, in bytes; default 16384.")
        public Integer maxHeaderBytes;

        @Min(8)
        @Max(10000)
        @JsonPropertyDescription("Most request headers; default 100.")
        public Integer maxHeaders;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("An idle connection is closed after this; default 60s.")
        public String idleTimeout;

        @Min(0)
        @Max(1073741824)
        @JsonPropertyDescription("A client sending its body slower than this (bytes/s) is cut off; 0 turns it off. Default 1024.")
        public Long minRequestBytesPerSecond;

        @Min(0)
        @Max(1000000)
        @JsonPropertyDescription("Failed authentications allowed per client address per minute before 429; 0 turns it off. Default 30.")
        public Integer authFailuresPerMinute;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("The request line and headers must arrive within this (slow-header defence); default 10s.")
        public String headerTimeout;

        @Min(1)
        @Max(10000000)
        @JsonPropertyDescription("Open connections per pod on the API port; beyond it new connections get 503. "
                + "Default: three quarters of the pod's open-file limit, at most 50000.")
        public Integer maxConnections;

        @Min(0)
        @Max(10000000)
        @JsonPropertyDescription("Open connections per client address on the API port; 0 turns it off (default: behind an ingress "
                + "every client has the ingress's address).")
        public Integer maxConnectionsPerAddress;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Content {
        @Min(0)
        @Max(36500)
        @JsonPropertyDescription("Logged content older than this many days is purged; 0 keeps it. Default 30.")
        public Integer retentionDays;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("How often the retention job runs; default 1h.")
        public String purgeInterval;

        @Min(1)
        @Max(10000000)
        @JsonPropertyDescription("Content records waiting for redaction at most; default 10000.")
        public Integer queueCapacity;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Redis {
        @Required
        @JsonPropertyDescription("Secret key (in the gateway's namespace) holding redis://[user:password@]host:port[/db] or rediss://...")
        public SecretKeyRef urlSecretRef;

        @Pattern("^[-_.:/A-Za-z0-9]{1,64}$")
        @JsonPropertyDescription("Prefix of every Redis key the gateway writes; default tollgate:<namespace>/<gateway>: so gateways may share a Redis.")
        public String keyPrefix;

        @Pattern(Validation.DURATION)
        @JsonPropertyDescription("Longest wait for one Redis command before a pod falls back to its own share; default 250ms.")
        public String timeout;
    }

    @ValidationRule(value = "self.maxReplicas >= self.minReplicas", message = "maxReplicas must be at least minReplicas")
    public static class Autoscaling {
        @Min(1)
        @Default("2")
        public Integer minReplicas = 2;
        @Required
        @Min(1)
        @Max(1000)
        public Integer maxReplicas;
        @Min(1)
        @Max(100)
        @Default("70")
        @JsonPropertyDescription("Average CPU utilisation the autoscaler aims for, in percent of requests.")
        public Integer targetCPUUtilizationPercentage = 70;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Database {
        @Required
        @Pattern(Validation.NAME)
        @JsonPropertyDescription("Secret in the gateway's namespace holding the connection.")
        public String secretName;
        @Default("url")
        @JsonPropertyDescription("Key holding the JDBC URL (jdbc:postgresql://...).")
        public String urlKey = "url";
        @Default("username")
        public String usernameKey = "username";
        @Default("password")
        public String passwordKey = "password";
        @Min(1)
        @Max(1000)
        public Integer maxPoolSize;
        @Pattern(Validation.DURATION)
        @ValidationRule(value = "!self.endsWith('ms') || size(self) > 5 || (size(self) == 5 && self >= '250ms')",
                message = "timeout must be at least 250ms")
        @JsonPropertyDescription("Longest wait for a pooled connection; a ledger write may take twice this before its rows are spilled. Default 5s, at least 250ms.")
        public String timeout;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.from != 'Selector' || has(self.selector)", message = "selector is required when from is Selector")
    public static class AllowedNamespaces {
        @Default("Same")
        @JsonPropertyDescription("Same: only the gateway's namespace; All: every namespace; Selector: namespaces matching selector.")
        public From from = From.Same;
        public LabelSelector selector;

        public enum From { Same, All, Selector }
    }
}
