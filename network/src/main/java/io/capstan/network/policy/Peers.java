package io.capstan.network.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resolves a rule's peers (podSelector, namespaceSelector, both, or ipBlock) to the addresses they stand for. */
final class Peers {

    /**
     * One address block a peer stands for: a pod's address (with the pod, to resolve egress named ports against),
     * or a block of an ipBlock.
     */
    record Remote(String cidr, JsonNode pod, Cidr block) {}

    static final String NAME_LABEL = "kubernetes.io/metadata.name";

    private final List<JsonNode> pods;
    private final Map<String, Map<String, String>> namespaceLabels;

    /** @param pods every pod in the cluster; only those with an address of their own are peers */
    Peers(List<? extends JsonNode> pods, Map<String, Map<String, String>> namespaceLabels) {
        this.pods = pods.stream().filter(p -> !PolicyPods.ip(p).isEmpty()).map(p -> (JsonNode) p).toList();
        this.namespaceLabels = namespaceLabels;
    }

    /**
     * The addresses of one peer of a policy in {@code namespace}: podSelector alone picks pods of that namespace,
     * namespaceSelector alone every pod of the namespaces it picks, both together the pods the podSelector picks in
     * those namespaces; an ipBlock is its cidr less its excepts.
     */
    List<Remote> resolve(JsonNode peer, String namespace) {
        List<Remote> out = new ArrayList<>();
        if (peer.has("ipBlock")) {
            Cidr.parse(peer.path("ipBlock").path("cidr").asText()).ifPresent(cidr -> {
                List<Cidr> except = new ArrayList<>();
                peer.path("ipBlock").path("except").forEach(e -> Cidr.parse(e.asText()).ifPresent(except::add));
                cidr.minus(except).forEach(block -> out.add(new Remote(block.toString(), null, block)));
            });
            return out;
        }
        LabelSelector podSelector = peer.has("podSelector") ? LabelSelector.fromJson(peer.get("podSelector")) : LabelSelector.everything();
        LabelSelector namespaceSelector = peer.has("namespaceSelector") ? LabelSelector.fromJson(peer.get("namespaceSelector")) : null;
        for (JsonNode pod : pods) {
            String podNamespace = PolicyPods.namespace(pod);
            boolean inNamespace = namespaceSelector == null ? podNamespace.equals(namespace)
                    : namespaceSelector.matches(namespaceLabels.getOrDefault(podNamespace, Map.of(NAME_LABEL, podNamespace)));
            if (inNamespace && podSelector.matches(Json.labels(pod))) {
                out.add(new Remote(PolicyPods.ip(pod) + "/32", pod, null));
            }
        }
        return out;
    }

    /** Every pod with an address, as the peers of a rule that names none. */
    List<Remote> everyPod() {
        return pods.stream().map(p -> new Remote(PolicyPods.ip(p) + "/32", p, null)).toList();
    }

    /** The pods whose address lies in {@code block}. */
    List<JsonNode> podsWithin(Cidr block) {
        return pods.stream().filter(p -> Cidr.parse(PolicyPods.ip(p)).map(block::contains).orElse(false)).toList();
    }
}
