package dev.tollgate.operator.key;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.VirtualKey;
import dev.tollgate.api.crd.VirtualKeyStatus;
import dev.tollgate.operator.alerts.BudgetAlerts;
import dev.tollgate.operator.cluster.BudgetZones;
import dev.tollgate.operator.cluster.Conditions;
import dev.tollgate.operator.cluster.GatewayLookup;
import dev.tollgate.operator.cluster.Labels;
import dev.tollgate.operator.cluster.LedgerNames;
import dev.tollgate.operator.cluster.ReferencedSecrets;
import dev.tollgate.operator.spend.BudgetStatusAggregator;
import dev.tollgate.operator.spend.BudgetSubject;
import dev.tollgate.operator.spend.LedgerSpend;
import dev.tollgate.operator.spend.SpendTracking;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * VirtualKey → key Secret (generated once, reused, rotated on schedule or on demand) and status. The gateway
 * reconciler puts the key's hash into the snapshot. Not generation-aware, so the rotate annotation triggers a
 * reconcile; status is patched only on change. Spend comes from the spend event source (when spend tracking is on) and
 * goes into the same status patch.
 *
 * <p>No finalizer: deleting a VirtualKey, or the team namespace holding it, never waits for this operator. Earlier
 * versions held a finalizer until the gateway's snapshot no longer carried the key. That made {@code kubectl delete}
 * return only once the deletion had taken effect, but it did not make the key stop working any sooner, and while the
 * operator was down the key kept working either way (only the operator writes the snapshot); what the finalizer added
 * then was a VirtualKey stuck in Terminating, and its namespace with it, for good once the operator was uninstalled.
 * What the finalizer guarded (a deleted key stops working promptly) holds without it:
 * <ul>
 *   <li>the snapshot is rendered from the VirtualKeys that exist, never patched key by key, and the LLMGateway
 *   reconciler watches VirtualKeys: a delete event re-renders it without the key, and the gateway pods swap the new
 *   snapshot in as they do for a suspension (ClusterEndToEndTest: the gateway answers 401 within 2 s of the delete;
 *   VirtualKeyDeletionTest: the snapshot drops the hash within 5 s on the mock API server);</li>
 *   <li>if the operator is down when the key is deleted, every LLMGateway is reconciled when it starts, from the
 *   VirtualKeys that exist then, so the key goes at the first render: the same moment the finalizer would have let go;</li>
 *   <li>the key Secret is owned by the VirtualKey (controller ownerReference, same namespace), so Kubernetes' garbage
 *   collector deletes it; a VirtualKey re-created under the same name before that never adopts the old key (a Secret
 *   controlled by another VirtualKey is replaced with a fresh key, see {@link KeySecret#desired}).</li>
 * </ul>
 * VirtualKeys that still carry the old finalizer lose it on their next reconcile, also when they are already being
 * deleted: the controller is triggered on every event, so a VirtualKey in Terminating reaches {@link #reconcile} too.
 */
@ControllerConfiguration(name = "virtualkey", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public class VirtualKeyReconciler implements Reconciler<VirtualKey> {

    /** The finalizer earlier operators put on every VirtualKey (JOSDK's default name for this kind). */
    public static final String LEGACY_FINALIZER = "virtualkeys.tollgate.dev/finalizer";

    private static final Logger LOG = LoggerFactory.getLogger(VirtualKeyReconciler.class);
    private static final String KEY_SECRETS = "key-secrets";
    private final Clock clock;
    private final KeyEvents events;
    private final SpendTracking spend;
    private final BudgetAlerts alerts;

    /** @param spend spend tracking, or null for none */
    public VirtualKeyReconciler(Clock clock, SpendTracking spend) {
        this.clock = clock;
        this.events = new KeyEvents(clock);
        this.spend = spend;
        this.alerts = spend == null ? null : BudgetAlerts.create(clock, spend.interval());
    }

    @Override
    public UpdateControl<VirtualKey> reconcile(VirtualKey vk, Context<VirtualKey> context) {
        if (context.isPrimaryResourceDeleted()) {
            // JOSDK 5.3 in all-event mode folds a delete and a re-create under the same name that arrive together into
            // this one delete execution, then forgets the name: a VirtualKey re-created that quickly is already in the
            // cache and is reconciled here, or it would get no key until its next event
            Optional<VirtualKey> recreated = context.getPrimaryCache().get(ResourceID.fromResource(vk))
                    .filter(live -> !live.isMarkedForDeletion());
            if (recreated.isEmpty()) {
                // the garbage collector deletes the key Secret; the gateway reconciler re-renders without the key
                return UpdateControl.noUpdate();
            }
            vk = context.getClient().getKubernetesSerialization().clone(recreated.get());
        }
        if (vk.hasFinalizer(LEGACY_FINALIZER)) {
            LOG.info("VirtualKey {}: removing the finalizer of an earlier operator version", LedgerNames.keyName(vk));
            vk = context.resourceOperations().removeFinalizer(LEGACY_FINALIZER);
        }
        if (vk == null || vk.isMarkedForDeletion()) {
            return UpdateControl.noUpdate();
        }
        KubernetesClient client = context.getClient();
        Instant now = Instant.now(clock);
        BudgetStatusAggregator<VirtualKey, VirtualKeyStatus> aggregator = new BudgetStatusAggregator<>(vk, VirtualKeyStatus.class, clock);
        VirtualKeyStatus status = aggregator.status();
        Optional<LLMGateway> gw = GatewayLookup.find(context, vk.getSpec().gatewayRef, vk);
        Instant wakeUp = null;
        if (gw.isEmpty()) {
            notAccepted(status, vk, "GatewayNotFound", "LLMGateway " + vk.getSpec().gatewayRef.namespaceOr(vk.getMetadata().getNamespace())
                    + "/" + vk.getSpec().gatewayRef.name + " does not exist");
        } else if (!GatewayLookup.admits(client, gw.get(), vk.getMetadata().getNamespace())) {
            notAccepted(status, vk, "NotAllowedByGateway", "LLMGateway " + gw.get().getMetadata().getName()
                    + " does not admit namespace " + vk.getMetadata().getNamespace() + " (spec.allowedNamespaces)");
        } else if (vk.getSpec().budget != null && !BudgetZones.valid(vk.getSpec().budget.timeZone)) {
            notAccepted(status, vk, "InvalidTimeZone", "spec.budget.timeZone '" + vk.getSpec().budget.timeZone
                    + "' is not a known time zone: the key is left out of the gateway");
        } else {
            Secret secret = writeKeySecret(context, vk, gw.get(), now);
            if (secret == null) {
                String name = vk.getSpec().secretNameOr(vk.getMetadata().getName());
                notAccepted(status, vk, "SecretNameTaken", "Secret " + vk.getMetadata().getNamespace() + "/" + name
                        + " exists and does not hold a key of this operator; delete it or set spec.secretName");
            } else {
                wakeUp = issued(status, vk, gw.get(), secret, now);
            }
        }
        events.transitions(client, vk, vk.getStatus(), status);
        BudgetSubject subject = BudgetSubject.of(vk);
        aggregator.spend(spend == null ? Optional.empty() : context.getSecondaryResource(LedgerSpend.class), subject);
        Optional<Duration> retryAlerts = alerts == null ? Optional.empty() : alerts.deliver(vk,
                vk.getSpec().budget == null ? null : vk.getSpec().budget.alerts, status, subject, ReferencedSecrets.of(context));
        UpdateControl<VirtualKey> control = aggregator.publish(client);
        // JOSDK drops a re-schedule from a delete execution; the status patch of the re-created key brings the next
        if (wakeUp != null && !context.isPrimaryResourceDeleted()) {
            long delay = Math.max(1000, Duration.between(now, wakeUp).toMillis() + 200);
            control.rescheduleAfter(retryAlerts.map(d -> Math.min(d.toMillis(), delay)).orElse(delay));
        } else {
            retryAlerts.ifPresent(d -> control.rescheduleAfter(d.toMillis()));
        }
        return control;
    }

    /** Status of an admitted key whose Secret holds its key; returns when it next changes by itself (rotation, expiry), or null. */
    private Instant issued(VirtualKeyStatus status, VirtualKey vk, LLMGateway gw, Secret secret, Instant now) {
        Instant createdAt = KeySecret.createdAt(secret, now);
        status.secretName = secret.getMetadata().getName();
        status.keyHint = KeyMaterial.hint(KeySecret.plaintext(secret));
        status.rotatedAt = createdAt.toString();
        Conditions.set(status, vk, clock, Conditions.ACCEPTED, true, "Accepted", "admitted by LLMGateway " + gw.getMetadata().getName());
        boolean suspended = Boolean.TRUE.equals(vk.getSpec().suspended);
        Instant expires = vk.getSpec().expiresAt == null ? null : Instant.parse(vk.getSpec().expiresAt);
        boolean expired = expires != null && !expires.isAfter(now);
        Conditions.set(status, vk, clock, Conditions.SUSPENDED, suspended, suspended ? "Suspended" : "Active",
                suspended ? "spec.suspended is true: the key is removed from the gateway" : "key is active");
        Conditions.set(status, vk, clock, Conditions.EXPIRED, expired, expired ? "Expired" : "NotExpired",
                expired ? "expired at " + expires : (expires == null ? "never expires" : "expires at " + expires));
        boolean ready = !suspended && !expired;
        Conditions.set(status, vk, clock, Conditions.READY, ready, ready ? "KeyIssued" : (suspended ? "Suspended" : "Expired"),
                ready ? "key in Secret " + status.secretName + " is valid at LLMGateway " + gw.getMetadata().getName()
                        : "key is not accepted by the gateway");
        return Stream.of(KeySecret.nextRotation(vk, createdAt), expired ? null : expires)
                .filter(t -> t != null).min(Instant::compareTo).orElse(null);
    }

    /**
     * Writes the key Secret when it lacks anything, reading it from the key-Secret informer (never with a GET) and
     * caching what it writes there, so the next reconcile sees its own write. Null when a Secret of that name exists
     * that the informer does not hold: one written by someone else, which is never taken over.
     */
    private Secret writeKeySecret(Context<VirtualKey> context, VirtualKey vk, LLMGateway gw, Instant now) {
        KubernetesClient client = context.getClient();
        String name = vk.getSpec().secretNameOr(vk.getMetadata().getName());
        InformerEventSource<Secret, VirtualKey> keySecrets = keySecrets(context);
        Secret existing = keySecrets.get(new ResourceID(name, vk.getMetadata().getNamespace())).orElse(null);
        Secret desired = KeySecret.desired(vk, existing, gw.getMetadata().getNamespace(), gw.getMetadata().getName(), now);
        if (!KeySecret.differs(existing, desired)) {
            return existing;
        }
        boolean rotated = existing != null && KeySecret.plaintext(existing) != null
                && !KeySecret.plaintext(existing).equals(KeySecret.plaintext(desired));
        Secret written;
        if (existing == null) {
            try {
                written = context.resourceOperations().create(desired, keySecrets);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return null;
                }
                throw e;
            }
            LOG.info("VirtualKey {}: key written to Secret {}", LedgerNames.keyName(vk), name);
        } else {
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            written = context.resourceOperations().update(desired, keySecrets);
        }
        if (KeySecret.controlledByAnother(existing, vk)) {
            LOG.info("VirtualKey {}: Secret {} held the key of a deleted VirtualKey of the same name; new key written",
                    LedgerNames.keyName(vk), name);
        } else if (rotated) {
            LOG.info("VirtualKey {}: key rotated, previous key valid during the grace period", LedgerNames.keyName(vk));
            events.rotated(client, vk, written, now);
        } else if (KeySecret.plaintext(existing) == null) {
            events.issued(client, vk, written, gw.getMetadata().getNamespace() + "/" + gw.getMetadata().getName());
        }
        return written;
    }

    @SuppressWarnings("unchecked")
    private static InformerEventSource<Secret, VirtualKey> keySecrets(Context<VirtualKey> context) {
        return (InformerEventSource<Secret, VirtualKey>) context.eventSourceRetriever().getEventSourceFor(Secret.class, KEY_SECRETS);
    }

    private void notAccepted(VirtualKeyStatus status, VirtualKey vk, String reason, String message) {
        Conditions.set(status, vk, clock, Conditions.ACCEPTED, false, reason, message);
        Conditions.set(status, vk, clock, Conditions.READY, false, reason, message);
    }

    @Override
    public List<EventSource<?, VirtualKey>> prepareEventSources(EventSourceContext<VirtualKey> context) {
        // a gateway change (allowedNamespaces, snapshot) re-evaluates the keys that refer to it
        var gateways = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMGateway.class, VirtualKey.class)
                .withSecondaryToPrimaryMapper((LLMGateway g) -> context.getPrimaryCache()
                        .list(vk -> vk.getSpec() != null && GatewayLookup.refersTo(vk.getSpec().gatewayRef, vk, g))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        var keySecrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, VirtualKey.class)
                .withName(KEY_SECRETS)
                .withLabelSelector(Labels.VIRTUAL_KEY)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(VirtualKey.class)).build(), context);
        if (spend == null) {
            return List.of(gateways, keySecrets);
        }
        // the ledger database Secrets, for the spend poller (which needs no event of them), and webhook URL Secrets
        var databaseSecrets = ReferencedSecrets.informer(context, s -> context.getPrimaryCache()
                .list(s.getMetadata().getNamespace(), vk -> vk.getSpec() != null && vk.getSpec().budget != null
                        && BudgetAlerts.usesSecret(vk.getSpec().budget.alerts, s.getMetadata().getName()))
                .map(ResourceID::fromResource).collect(Collectors.toSet()));
        return List.of(gateways, keySecrets, databaseSecrets,
                spend.eventSource(context, BudgetSubject.Kind.VIRTUAL_KEY, gateways, databaseSecrets, BudgetSubject::of));
    }
}
