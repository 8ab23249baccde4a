package io.capstan.network.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Works out, as a pure function of a snapshot, what traffic each pod of one node may send and receive under the
 * networking.k8s.io/v1 NetworkPolicies: a pod is isolated in a direction only when a policy of its namespace selects
 * it with that policy type; then only what some rule of some such policy allows passes (rules and peers OR, ports
 * AND with peers). Named ports resolve against the pod that owns the port: the target for ingress, the peer for egress.
 */
public final class PolicyCompiler {

    private final String nodeName;

    /** @param nodeName the node whose pods are compiled */
    public PolicyCompiler(String nodeName) {
        this.nodeName = nodeName;
    }

    /** The rules of every isolated pod on the node, ordered by namespace and name. */
    public List<PodRules> compile(PolicySnapshot snapshot) {
        Map<String, Map<String, String>> namespaceLabels = snapshot.namespaces().stream().collect(Collectors.toMap(
                ns -> ns.path("metadata").path("name").asText(), PolicyCompiler::namespaceLabels, (a, b) -> a));
        Peers peers = new Peers(snapshot.pods(), namespaceLabels);
        List<PodRules> out = new ArrayList<>();
        for (JsonNode pod : snapshot.pods()) {
            String ip = PolicyPods.ip(pod);
            if (!pod.path("spec").path("nodeName").asText().equals(nodeName) || ip.isEmpty()) {
                continue;
            }
            PodRules rules = rulesFor(pod, ip, snapshot.policies(), peers);
            if (rules.isolated()) {
                out.add(rules);
            }
        }
        out.sort(Comparator.comparing(PodRules::namespace).thenComparing(PodRules::name));
        return out;
    }

    private PodRules rulesFor(JsonNode pod, String ip, List<? extends JsonNode> policies, Peers peers) {
        String namespace = PolicyPods.namespace(pod);
        Map<String, String> labels = Json.labels(pod);
        Set<Allow> ingress = null;
        Set<Allow> egress = null;
        for (JsonNode policy : policies) {
            JsonNode spec = policy.path("spec");
            if (!PolicyPods.namespace(policy).equals(namespace) || !LabelSelector.fromJson(spec.get("podSelector")).matches(labels)) {
                continue;
            }
            Set<String> types = policyTypes(spec);
            if (types.contains("Ingress")) {
                ingress = ingress == null ? new LinkedHashSet<>() : ingress;
                for (JsonNode rule : spec.path("ingress")) {
                    ingress.addAll(allows(rule, "from", true, pod, namespace, peers));
                }
            }
            if (types.contains("Egress")) {
                egress = egress == null ? new LinkedHashSet<>() : egress;
                for (JsonNode rule : spec.path("egress")) {
                    egress.addAll(allows(rule, "to", false, pod, namespace, peers));
                }
            }
        }
        return new PodRules(namespace, pod.path("metadata").path("name").asText(), ip,
                Optional.ofNullable(ingress).map(List::copyOf), Optional.ofNullable(egress).map(List::copyOf));
    }

    /** A namespace's labels with kubernetes.io/metadata.name, which the API server sets on every namespace. */
    private static Map<String, String> namespaceLabels(JsonNode namespace) {
        Map<String, String> labels = new java.util.HashMap<>(Json.labels(namespace));
        labels.put(Peers.NAME_LABEL, namespace.path("metadata").path("name").asText());
        return labels;
    }

    /** spec.policyTypes, or as the API server defaults it: Ingress always, Egress when there are egress rules. */
    static Set<String> policyTypes(JsonNode spec) {
        Set<String> types = new LinkedHashSet<>();
        spec.path("policyTypes").forEach(t -> types.add(t.asText()));
        if (types.isEmpty()) {
            types.add("Ingress");
            if (!spec.path("egress").isEmpty()) {
                types.add("Egress");
            }
        }
        return types;
    }

    /** One rule's traffic: every peer with every port (no peers: any address; no ports: any port). */
    private List<Allow> allows(JsonNode rule, String peersField, boolean ingress, JsonNode target, String namespace, Peers peers) {
        JsonNode peerList = rule.path(peersField);
        List<Peers.Remote> remotes = peerList.isEmpty() ? null : new ArrayList<>();
        for (JsonNode peer : peerList) {
            remotes.addAll(peers.resolve(peer, namespace));
        }
        List<Allow> out = new ArrayList<>();
        if (rule.path("ports").isEmpty()) {
            out.addAll(withRemotes(Allow.EVERYTHING, remotes));
            return out;
        }
        for (JsonNode port : rule.path("ports")) {
            String protocol = port.path("protocol").asText("TCP");
            JsonNode number = port.path("port");
            if (number.isMissingNode() || number.isNull()) {
                out.addAll(withRemotes(Allow.ports(protocol, 0, 0), remotes));
            } else if (number.isInt() || number.asText().matches("[0-9]+")) {
                int first = number.asInt();
                int last = port.path("endPort").asInt(first);
                out.addAll(withRemotes(Allow.ports(protocol, first, Math.max(first, last)), remotes));
            } else if (ingress) {
                // The target's own port of that name; a target without one lets nothing in through this entry.
                OptionalInt resolved = PolicyPods.namedPort(target, number.asText(), protocol);
                if (resolved.isPresent()) {
                    out.addAll(withRemotes(Allow.ports(protocol, resolved.getAsInt(), resolved.getAsInt()), remotes));
                }
            } else {
                out.addAll(namedEgress(number.asText(), protocol, remotes, peers));
            }
        }
        return out;
    }

    private static List<Allow> withRemotes(Allow allow, List<Peers.Remote> remotes) {
        if (remotes == null) {
            return List.of(allow);
        }
        return remotes.stream().map(r -> allow.withRemote(r.cidr())).toList();
    }

    /** An egress named port is each destination pod's own port of that name: one allow per pod that has one. */
    private static List<Allow> namedEgress(String name, String protocol, List<Peers.Remote> remotes, Peers peers) {
        List<Allow> out = new ArrayList<>();
        for (Peers.Remote remote : remotes == null ? peers.everyPod() : remotes) {
            for (JsonNode pod : remote.pod() != null ? List.of(remote.pod()) : peers.podsWithin(remote.block())) {
                PolicyPods.namedPort(pod, name, protocol).ifPresent(port ->
                        out.add(new Allow(PolicyPods.ip(pod) + "/32", protocol, port, port)));
            }
        }
        return out;
    }
}
