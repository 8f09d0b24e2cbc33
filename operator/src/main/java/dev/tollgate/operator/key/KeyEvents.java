package dev.tollgate.operator.key;

import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.api.crd.VirtualKeyStatus;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.KubeEvents;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Instant;

/**
 * The Events a VirtualKey's app team cares about, one per transition and not one per reconcile: issued and rotated when
 * the key Secret is written with a new key, suspended, resumed and expired when the status condition flips (the status
 * before the reconcile is the memory, so a restarted operator does not repeat them). Messages carry the key hint (last
 * four characters) at most, never key material.
 */
final class KeyEvents {

    static final String ISSUED = "KeyIssued";
    static final String ROTATED = "KeyRotated";
    static final String SUSPENDED = "KeySuspended";
    static final String RESUMED = "KeyResumed";
    static final String EXPIRED = "KeyExpired";

    private final Clock clock;

    KeyEvents(Clock clock) {
        this.clock = clock;
    }

    void issued(KubernetesClient client, VirtualKey vk, Secret secret, String gateway) {
        KubeEvents.emit(client, clock, vk, KubeEvents.NORMAL, ISSUED, "key " + hint(secret) + " issued in Secret "
                + secret.getMetadata().getName() + " for LLMGateway " + gateway);
    }

    void rotated(KubernetesClient client, VirtualKey vk, Secret secret, Instant now) {
        Instant graceUntil = KeySecret.graceHashes(secret, now).stream().map(g -> g.validUntil()).max(Instant::compareTo).orElse(now);
        KubeEvents.emit(client, clock, vk, KubeEvents.NORMAL, ROTATED, "key rotated: new key " + hint(secret) + " in Secret "
                + secret.getMetadata().getName() + "; the previous key is accepted until " + graceUntil);
    }

    /** Suspended, resumed, expired: the conditions of {@code after} against those the key had before this reconcile. */
    void transitions(KubernetesClient client, VirtualKey vk, VirtualKeyStatus before, VirtualKeyStatus after) {
        boolean wasSuspended = Conditions.isTrue(before, Conditions.SUSPENDED);
        boolean suspended = Conditions.isTrue(after, Conditions.SUSPENDED);
        if (!wasSuspended && suspended) {
            KubeEvents.emit(client, clock, vk, KubeEvents.WARNING, SUSPENDED, "key " + after.keyHint
                    + " suspended (spec.suspended): the gateway refuses it until it is resumed");
        } else if (wasSuspended && Conditions.find(after.conditions, Conditions.SUSPENDED) != null && !suspended) {
            KubeEvents.emit(client, clock, vk, KubeEvents.NORMAL, RESUMED, "key " + after.keyHint + " resumed: the gateway accepts it again");
        }
        if (!Conditions.isTrue(before, Conditions.EXPIRED) && Conditions.isTrue(after, Conditions.EXPIRED)) {
            KubeEvents.emit(client, clock, vk, KubeEvents.WARNING, EXPIRED, "key " + after.keyHint + " expired at "
                    + vk.getSpec().expiresAt + ": the gateway refuses it");
        }
    }

    private static String hint(Secret secret) {
        return KeyMaterial.hint(KeySecret.plaintext(secret));
    }
}
