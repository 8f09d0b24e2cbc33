package dev.tollgate.operator.key;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.config.Durations;
import dev.tollgate.api.config.KeyConfig.GraceHash;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model between a VirtualKey and its Secret (like Strimzi's KafkaUserModel): reuses the key already in the Secret,
 * generates one only when there is none or a rotation is due, and keeps the hashes of rotated keys valid until their
 * grace period ends. Rotation state lives in the Secret's annotations, next to the key it describes.
 */
public final class KeySecret {

    public static final String DATA_KEY = "key";
    public static final String DATA_BASE_URL = "baseUrl";
    public static final String CREATED_AT = "tollgate.dev/key-created-at";
    public static final String ROTATED_FOR = "tollgate.dev/rotated-for";
    public static final String GRACE_HASHES = "tollgate.dev/grace-hashes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeySecret() {
    }

    /**
     * What the Secret should be at {@code now}; equal to {@code existing}'s content when nothing is due. A Secret that
     * another VirtualKey controls (one deleted, then re-created under the same name before the garbage collector removed
     * its Secret) holds a key that was meant to die with its owner: it is replaced by a fresh key, never reused.
     */
    public static Secret desired(VirtualKey vk, Secret existing, String gatewayNamespace, String gatewayName, Instant now) {
        if (controlledByAnother(existing, vk)) {
            existing = null;
        }
        String key = plaintext(existing);
        Instant createdAt = createdAt(existing, now);
        List<Grace> graces = new ArrayList<>(graces(existing).stream().filter(g -> g.until().isAfter(now)).toList());
        String rotateRequest = vk.getMetadata().getAnnotations() == null ? null : vk.getMetadata().getAnnotations().get(VirtualKey.ROTATE_ANNOTATION);
        String rotatedFor = existing == null ? rotateRequest : annotation(existing, ROTATED_FOR);
        boolean requested = rotateRequest != null && !rotateRequest.equals(rotatedFor);
        Instant due = nextRotation(vk, createdAt);
        if (key == null) {
            key = KeyMaterial.generate();
            createdAt = now;
        } else if (requested || (due != null && !due.isAfter(now))) {
            graces.add(new Grace(KeyHashes.hash(key), now.plus(gracePeriod(vk))));
            key = KeyMaterial.generate();
            createdAt = now;
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CREATED_AT, createdAt.toString());
        if (rotateRequest != null) {
            annotations.put(ROTATED_FOR, rotateRequest);
        }
        if (!graces.isEmpty()) {
            annotations.put(GRACE_HASHES, toJson(graces));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
        labels.put(Labels.VIRTUAL_KEY, vk.getMetadata().getName());
        labels.put(Labels.GATEWAY, gatewayName);
        labels.put(Labels.GATEWAY_NAMESPACE, gatewayNamespace);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(DATA_KEY, b64(key));
        data.put(DATA_BASE_URL, b64("http://" + gatewayName + "." + gatewayNamespace + ".svc:4000/v1"));
        return new SecretBuilder()
                .withNewMetadata().withName(vk.getSpec().secretNameOr(vk.getMetadata().getName())).withNamespace(vk.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(vk.getApiVersion()).withKind(vk.getKind())
                        .withName(vk.getMetadata().getName()).withUid(vk.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withType("Opaque").withData(data).build();
    }

    /** True when {@code desired} would change anything in {@code existing}. */
    public static boolean differs(Secret existing, Secret desired) {
        return existing == null
                || !Objects.equals(existing.getData(), desired.getData())
                || !Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
                || !Objects.equals(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations());
    }

    /** True when {@code secret}'s controller is a VirtualKey other than {@code vk} (another uid). */
    public static boolean controlledByAnother(Secret secret, VirtualKey vk) {
        return secret != null && secret.getMetadata().getOwnerReferences() != null
                && secret.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && vk.getKind().equals(o.getKind())
                        && !Objects.equals(o.getUid(), vk.getMetadata().getUid()));
    }

    public static String plaintext(Secret secret) {
        if (secret == null || secret.getData() == null || secret.getData().get(DATA_KEY) == null) {
            return null;
        }
        String key = new String(Base64.getDecoder().decode(secret.getData().get(DATA_KEY)), StandardCharsets.UTF_8);
        return key.isBlank() ? null : key;
    }

    /** Rotated-away hashes still valid at {@code now}, for the snapshot. */
    public static List<GraceHash> graceHashes(Secret secret, Instant now) {
        return graces(secret).stream().filter(g -> g.until().isAfter(now)).map(g -> new GraceHash(g.keyHash(), g.until())).toList();
    }

    public static Instant createdAt(Secret secret, Instant fallback) {
        String s = secret == null ? null : annotation(secret, CREATED_AT);
        return s == null ? fallback : Instant.parse(s);
    }

    /** When the key is next due for rotation, or null when rotation.every is not set. */
    public static Instant nextRotation(VirtualKey vk, Instant createdAt) {
        if (vk.getSpec().rotation == null || vk.getSpec().rotation.every == null) {
            return null;
        }
        Duration every = Durations.parse(vk.getSpec().rotation.every);
        return every == null ? null : createdAt.plus(every);
    }

    private static Duration gracePeriod(VirtualKey vk) {
        String grace = vk.getSpec().rotation == null ? null : vk.getSpec().rotation.gracePeriod;
        Duration d = grace == null ? null : Durations.parse(grace);
        return d == null ? Duration.ofHours(1) : d;
    }

    private static String annotation(Secret s, String name) {
        return s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(name);
    }

    static List<Grace> graces(Secret secret) {
        String json = secret == null ? null : annotation(secret, GRACE_HASHES);
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<Grace>>() { });
        } catch (Exception e) {
            return List.of();
        }
    }

    private static String toJson(List<Grace> graces) {
        try {
            return JSON.writeValueAsString(graces);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** One rotated-away hash; validUntil as ISO text keeps the annotation readable. */
    record Grace(String keyHash, String validUntil) {
        Grace(String keyHash, Instant validUntil) {
            this(keyHash, validUntil.toString());
        }

        Instant until() {
            return Instant.parse(validUntil);
        }
    }
}
