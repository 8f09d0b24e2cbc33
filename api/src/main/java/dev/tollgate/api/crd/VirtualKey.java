package dev.tollgate.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An application's key to a gateway; the operator generates it into a Secret in this namespace. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@ShortNames({"vkey", "vk"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = Crds.READY_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Spend", jsonPath = ".status.spendUsd", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Budget", jsonPath = ".spec.budget.amountUsd", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Period", jsonPath = ".spec.budget.period", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Secret", jsonPath = ".status.secretName", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Hint", jsonPath = ".status.keyHint", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualKey extends CustomResource<VirtualKeySpec, VirtualKeyStatus> implements Namespaced {

    /** Set this annotation to any new value to rotate the key now. */
    public static final String ROTATE_ANNOTATION = "tollgate.dev/rotate";
}
