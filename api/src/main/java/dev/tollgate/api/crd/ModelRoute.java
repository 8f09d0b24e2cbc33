package dev.tollgate.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A public model name and the provider deployments behind it; lives in its gateway's namespace. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@ShortNames({"mroute", "mr"})
@AdditionalPrinterColumn(name = "Ready", jsonPath = Crds.READY_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Backends", jsonPath = ".status.backends", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ModelRoute extends CustomResource<ModelRouteSpec, ModelRouteStatus> implements Namespaced {
}
