package io.capstan.agent.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A node's heartbeat: its Lease in kube-node-lease, renewed (or created, owned by the Node) as the kubelet does every 10 s. */
public final class NodeLease {

    public static final String NAMESPACE = "kube-node-lease";
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private NodeLease() {}

    /**
     * Renews the lease of node {@code name}.
     *
     * @param nodeUid the Node's uid for the lease's owner reference, or null when unknown
     */
    public static void renew(Api api, String name, String nodeUid, Clock clock) {
        ObjectNode patch = Json.object();
        patch.putObject("spec").put("renewTime", MICRO_TIME.format(clock.instant())).put("holderIdentity", name)
                .put("leaseDurationSeconds", 40);
        try {
            api.patch(Kinds.LEASES, NAMESPACE, name, "", ApiClient.MERGE_PATCH, patch);
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e;
            }
            ObjectNode lease = Json.object().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
            lease.putObject("metadata").put("name", name).put("namespace", NAMESPACE);
            lease.set("spec", patch.get("spec"));
            if (nodeUid != null) {
                Json.with(lease, "metadata").putArray("ownerReferences").addObject()
                        .put("apiVersion", "v1").put("kind", "Node").put("name", name).put("uid", nodeUid);
            }
            api.create(Kinds.LEASES, NAMESPACE, lease);
        }
    }
}
