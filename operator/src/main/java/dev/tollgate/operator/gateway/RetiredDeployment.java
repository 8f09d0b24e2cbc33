package dev.tollgate.operator.gateway;

import dev.tollgate.api.crd.LLMGateway;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gateways created by an operator before the StatefulSet ran as a Deployment of the same name. It is deleted once the
 * StatefulSet has all its pods ready (the Service selects both meanwhile, so calls always find a pod); only a
 * Deployment this gateway controls is touched. A gateway checked once is not looked up again.
 */
final class RetiredDeployment {

    private static final Logger LOG = LoggerFactory.getLogger(RetiredDeployment.class);

    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    void removeOnceReplaced(KubernetesClient client, LLMGateway gw, boolean statefulSetReady) {
        String uid = gw.getMetadata().getUid();
        if (!statefulSetReady || checked.contains(uid)) {
            return;
        }
        Deployment d = client.apps().deployments().inNamespace(gw.getMetadata().getNamespace()).withName(gw.getMetadata().getName()).get();
        if (d != null && d.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController()))) {
            LOG.info("LLMGateway {}/{}: StatefulSet ready, deleting the Deployment it replaces", gw.getMetadata().getNamespace(), gw.getMetadata().getName());
            client.resource(d).delete();
        }
        checked.add(uid);
    }
}
