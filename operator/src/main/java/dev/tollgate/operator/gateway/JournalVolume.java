package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import dev.tollgate.api.crd.LLMGatewaySpec;
import dev.tollgate.api.crd.LLMGatewaySpec.Journal;
import dev.tollgate.operator.cluster.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The volume at /var/lib/tollgate holding the ledger journal and spill files. By default a PersistentVolumeClaim per
 * pod (a StatefulSet claim template {@code journal-<gateway>-<ordinal>}), so a pod rescheduled to another node gets its
 * own journal back and replays it; with {@code spec.journal.storage: EmptyDir} the pod's scratch space, which survives
 * container restarts but not the pod.
 */
final class JournalVolume {

    static final String NAME = "journal";

    private static final Pattern SIZE = Pattern.compile("^([0-9]+)([A-Za-z]*)$");
    private static final List<String> BINARY = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final List<String> DECIMAL = List.of("", "k", "M", "G", "T", "P", "E");

    private JournalVolume() {
    }

    static Journal of(LLMGatewaySpec spec) {
        return spec.journal == null ? new Journal() : spec.journal;
    }

    static boolean persistent(LLMGatewaySpec spec) {
        return of(spec).storage != Journal.Storage.EmptyDir;
    }

    /** The pod's own volume: an emptyDir, or none when the StatefulSet's claim template supplies it. */
    static List<Volume> podVolumes(LLMGatewaySpec spec) {
        return persistent(spec) ? List.of() : List.of(new VolumeBuilder().withName(NAME).withNewEmptyDir().endEmptyDir().build());
    }

    /** The StatefulSet's claim template: one ReadWriteOnce claim per pod, labelled as the pods, or none with an emptyDir. */
    static List<PersistentVolumeClaim> claimTemplates(LLMGateway gw) {
        LLMGatewaySpec spec = gw.getSpec();
        if (!persistent(spec)) {
            return List.of();
        }
        Journal j = of(spec);
        return List.of(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(NAME).withLabels(Labels.selector(gw)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(j.storageClassName)
                .withNewResources().addToRequests("storage", new Quantity(canonical(j.size == null ? "1Gi" : j.size))).endResources()
                .endSpec().build());
    }

    /** Whether two claim templates ask for the same storage (sizes compared by value, not by spelling). */
    static boolean sameClaims(List<PersistentVolumeClaim> a, List<PersistentVolumeClaim> b) {
        List<String> x = a == null ? List.of() : a.stream().map(JournalVolume::identity).toList();
        List<String> y = b == null ? List.of() : b.stream().map(JournalVolume::identity).toList();
        return x.equals(y);
    }

    private static String identity(PersistentVolumeClaim c) {
        Quantity storage = c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null ? null
                : c.getSpec().getResources().getRequests().get("storage");
        return c.getMetadata().getName() + "|" + Objects.toString(c.getSpec().getStorageClassName(), "")
                + "|" + (storage == null ? "" : Quantity.getAmountInBytes(storage).stripTrailingZeros().toPlainString());
    }

    /**
     * A size as the API server writes it back ({@code 1024Mi} → {@code 1Gi}, {@code 2000M} → {@code 2G}): the largest
     * suffix of the same kind that keeps the number whole. Desired and actual then compare equal, so an unchanged spec
     * never updates the StatefulSet. Only whole numbers reach here (the CRD's pattern).
     */
    static String canonical(String size) {
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) {
            return size;
        }
        String suffix = m.group(2);
        List<String> ladder = DECIMAL.contains(suffix) ? DECIMAL : BINARY;
        if (!ladder.contains(suffix)) {
            return size;
        }
        BigInteger n = new BigInteger(m.group(1));
        BigInteger base = BigInteger.valueOf(ladder.equals(BINARY) ? 1024 : 1000);
        int step = ladder.indexOf(suffix);
        while (step < ladder.size() - 1 && n.signum() > 0 && n.mod(base).signum() == 0) {
            n = n.divide(base);
            step++;
        }
        return n + ladder.get(step);
    }
}
