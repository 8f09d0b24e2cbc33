package dev.tollgate.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A gateway fleet: the shape of its pods and gateway-wide settings. The operator renders its config snapshot and runs the pods. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@ShortNames({"llmgw", "tgw"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = Crds.READY_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Routes", jsonPath = ".status.routes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Keys", jsonPath = ".status.keys", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Config", jsonPath = ".status.configVersion", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class LLMGateway extends CustomResource<LLMGatewaySpec, LLMGatewayStatus> implements Namespaced {
}
