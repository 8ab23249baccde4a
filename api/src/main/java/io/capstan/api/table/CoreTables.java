package io.capstan.api.table;

import static io.capstan.api.table.Cells.NONE;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Core kinds other than Pod, Event, services and volumes: Node, Namespace, ConfigMap, Secret, ServiceAccount, ResourceQuota. */
final class CoreTables {

    private CoreTables() {}

    private static final String NODE_ADDRESSES = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: "
                + "https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but "
                + "the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should "
                + "instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that "
                + "addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be "
                + "possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API "
                + "(status.hostIP).";

    static final KindTable NODE = new KindTable(Columns.name()
            .string("Status", "The status of the node")
            .string("Roles", "The roles of the node")
            .age()
            .string("Version", "Kubelet Version reported by the node.")
            .wide("Internal-IP", NODE_ADDRESSES)
            .wide("External-IP", NODE_ADDRESSES)
            .wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).")
            .wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).")
            .wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
                    + "containerd://1.4.2).")
            .build(),
            (node, now) -> {
                JsonNode info = node.path("status").path("nodeInfo");
                return List.of(name(node), nodeStatus(node), nodeRoles(node), TableConvertor.age(node, now),
                        text(info, "kubeletVersion"), nodeAddress(node, "InternalIP"), nodeAddress(node, "ExternalIP"),
                        orUnknown(text(info, "osImage")), orUnknown(text(info, "kernelVersion")),
                        orUnknown(text(info, "containerRuntimeVersion")));
            });

    static final KindTable NAMESPACE = new KindTable(Columns.name()
            .string("Status", "The status of the namespace").age().build(),
            (ns, now) -> List.of(name(ns), text(ns, "status", "phase"), TableConvertor.age(ns, now)));

    static final KindTable CONFIG_MAP = new KindTable(Columns.name()
            .string("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or "
                    + "'.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not "
                    + "overlap with the keys in the BinaryData field, this is enforced during validation process.")
            .age().build(),
            (cm, now) -> List.of(name(cm), (long) (cm.path("data").size() + cm.path("binaryData").size()),
                    TableConvertor.age(cm, now)));

    static final KindTable SECRET = new KindTable(Columns.name()
            .string("Type", "Used to facilitate programmatic handling of secret data. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types")
            .string("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The "
                    + "serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly "
                    + "non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4")
            .age().build(),
            (s, now) -> List.of(name(s), text(s, "type"), (long) s.path("data").size(), TableConvertor.age(s, now)));

    static final KindTable SERVICE_ACCOUNT = new KindTable(Columns.name()
            .string("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount "
                    + "are allowed to use. Pods are only limited to this list if this service account has a "
                    + "\"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The "
                    + "\"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces "
                    + "to isolate access to mounted secrets. This field should not be used to find auto-generated service account "
                    + "token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, "
                    + "or service account token secrets can be manually created. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/secret")
            .age().build(),
            (sa, now) -> List.of(name(sa), (long) sa.path("secrets").size(), TableConvertor.age(sa, now)));

    static final KindTable RESOURCE_QUOTA = new KindTable(Columns.name()
            .string("Request", "Request represents a minimum amount of cpu/memory that a container may consume.")
            .string("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on "
                    + "the node.")
            .age().build(),
            (q, now) -> {
                List<String> requests = new ArrayList<>();
                List<String> limits = new ArrayList<>();
                JsonNode hard = q.path("status").path("hard");
                for (String resource : new TreeSet<>(iterableToList(hard.fieldNames()))) {
                    String item = resource + ": " + Cells.quantity(q.path("status").path("used").path(resource)) + "/"
                            + Cells.quantity(hard.path(resource));
                    String[] pieces = resource.split("\\.");
                    (pieces.length > 1 && pieces[0].equals("limits") ? limits : requests).add(item);
                }
                return List.of(name(q), String.join(", ", requests), String.join(", ", limits), TableConvertor.age(q, now));
            });

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private static String orUnknown(String s) {
        return s.isEmpty() ? Cells.UNKNOWN : s;
    }

    private static String nodeStatus(JsonNode node) {
        List<String> status = new ArrayList<>();
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(text(c, "type"))) {
                status.clear();
                status.add("True".equals(text(c, "status")) ? "Ready" : "NotReady");
            }
        }
        if (status.isEmpty()) {
            status.add("Unknown");
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    /** Roles from node-role.kubernetes.io/ROLE labels and the kubernetes.io/role label, sorted. */
    private static String nodeRoles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        node.path("metadata").path("labels").properties().forEach(e -> {
            String k = e.getKey();
            if (k.startsWith("node-role.kubernetes.io/")) {
                String role = k.substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (k.equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
            }
        });
        return roles.isEmpty() ? NONE : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode node, String type) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if (type.equals(text(a, "type"))) {
                return text(a, "address");
            }
        }
        return NONE;
    }

}
