package io.capstan.api.table;

import static io.capstan.api.table.Cells.NONE;
import static io.capstan.api.table.Cells.UNSET;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Core kinds other than Pod and Event: Service, Endpoints, Node, Namespace, ConfigMap, Secret, volumes, quotas. */
final class CoreTables {

    private CoreTables() {}

    private static final String NODE_ADDRESSES = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: "
                + "https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but "
                + "the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should "
                + "instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that "
                + "addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be "
                + "possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API "
                + "(status.hostIP).";

    static final KindTable SERVICE = new KindTable(Columns.name()
            .string("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, "
                    + "ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing "
                    + "to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of "
                    + "an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the "
                    + "endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and "
                    + "allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on "
                    + "NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same "
                    + "endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other "
                    + "fields do not apply to ExternalName services. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types")
            .string("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is "
                    + "specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the "
                    + "service; otherwise creation of the service will fail. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies")
            .string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic "
                    + "for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic "
                    + "arrives at a node with this IP.  A common example is external load-balancers that are not part of the "
                    + "Kubernetes system.")
            .string("Port(s)", "The list of ports that are exposed by this service. More info: "
                    + "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies")
            .age()
            .wide("Selector", "Route service traffic to pods with label keys and values matching this selector. If empty or not "
                    + "present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not "
                    + "modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More "
                    + "info: https://kubernetes.io/docs/concepts/services-networking/service/")
            .build(),
            (svc, now) -> {
                JsonNode spec = svc.path("spec");
                // clusterIPs is always set by Kubernetes; clusterIP is the fallback for objects written without it.
                String clusterIp = spec.path("clusterIPs").isEmpty() ? text(spec, "clusterIP") : spec.path("clusterIPs").path(0).asText("");
                String ports = servicePorts(spec.path("ports"));
                return List.of(name(svc), text(spec, "type"), clusterIp.isEmpty() ? NONE : clusterIp, externalIp(svc),
                        ports.isEmpty() ? NONE : ports, TableConvertor.age(svc, now), Cells.labels(spec.path("selector")));
            });

    static final KindTable ENDPOINTS = new KindTable(Columns.name()
            .string("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according "
                    + "to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not "
                    + "(because they come from different containers) will result in the address being displayed in different "
                    + "subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same "
                    + "subset. Sets of addresses and ports that comprise a service.")
            .age().build(),
            (ep, now) -> List.of(name(ep), endpoints(ep.path("subsets")), TableConvertor.age(ep, now)));

    static final KindTable ENDPOINT_SLICE = new KindTable(Columns.name()
            .string("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this "
                    + "slice must be the same type. This field is immutable after creation. The following address types are "
                    + "currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: "
                    + "Represents a Fully Qualified Domain Name.")
            .string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have "
                    + "a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with "
                    + "a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.")
            .string("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 "
                    + "endpoints.")
            .age().build(),
            (slice, now) -> {
                List<String> ports = new ArrayList<>();
                for (JsonNode p : slice.path("ports")) {
                    ports.add(p.path("port").isNumber() ? Long.toString(p.path("port").asLong())
                            : p.path("name").isTextual() ? p.path("name").asText() : "*");
                }
                List<String> addresses = new ArrayList<>();
                slice.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> addresses.add(a.asText())));
                return List.of(name(slice), text(slice, "addressType"), Cells.listWithMore(ports, 3),
                        Cells.listWithMore(addresses, 3), TableConvertor.age(slice, now));
            });

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

    static final KindTable PERSISTENT_VOLUME = new KindTable(Columns.name()
            .string("Capacity", "capacity is the description of the persistent volume's resources and capacity. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity")
            .string("Access Modes", "accessModes contains all ways the volume can be mounted. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes")
            .string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from "
                    + "its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for "
                    + "dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume "
                    + "plugin underlying this PersistentVolume. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming")
            .string("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase")
            .string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. "
                    + "Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding")
            .string("StorageClass", "StorageClass of the pv")
            .string("VolumeAttributesClass", "VolumeAttributesClass of the pv")
            .string("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and "
                    + "tidy display in the CLI.")
            .age()
            .wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in "
                    + "raw block state. Value of Filesystem is implied when not included in spec.")
            .build(),
            (pv, now) -> {
                JsonNode spec = pv.path("spec");
                JsonNode claim = spec.path("claimRef");
                String claimText = claim.isObject() ? text(claim, "namespace") + "/" + text(claim, "name") : "";
                return List.of(name(pv), Cells.quantity(spec.path("capacity").path("storage")), accessModes(spec.path("accessModes")),
                        text(spec, "persistentVolumeReclaimPolicy"), Cells.deleting(pv) ? "Terminating" : text(pv, "status", "phase"),
                        claimText, storageClass(pv), orUnset(spec.path("volumeAttributesClassName")), text(pv, "status", "reason"),
                        TableConvertor.age(pv, now), orUnset(spec.path("volumeMode")));
            });

    static final KindTable PERSISTENT_VOLUME_CLAIM = new KindTable(Columns.name()
            .string("Status", "phase represents the current phase of PersistentVolumeClaim.")
            .string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim.")
            .string("Capacity", "capacity represents the actual resources of the underlying volume.")
            .string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1")
            .string("StorageClass", "StorageClass of the pvc")
            .string("VolumeAttributesClass", "VolumeAttributesClass of the pvc")
            .age()
            .wide("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied "
                    + "when not included in claim spec.")
            .build(),
            (pvc, now) -> {
                JsonNode spec = pvc.path("spec");
                String volume = text(spec, "volumeName");
                String capacity = "";
                String modes = "";
                if (!volume.isEmpty()) {
                    modes = accessModes(pvc.path("status").path("accessModes"));
                    capacity = Cells.quantity(pvc.path("status").path("capacity").path("storage"));
                }
                return List.of(name(pvc), Cells.deleting(pvc) ? "Terminating" : text(pvc, "status", "phase"), volume, capacity, modes,
                        storageClass(pvc), orUnset(spec.path("volumeAttributesClassName")), TableConvertor.age(pvc, now),
                        orUnset(spec.path("volumeMode")));
            });

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private static String orUnknown(String s) {
        return s.isEmpty() ? Cells.UNKNOWN : s;
    }

    private static String orUnset(JsonNode value) {
        return value.isTextual() ? value.asText() : UNSET;
    }

    /** The storage-class annotation wins over spec.storageClassName, as for the deprecated beta annotation. */
    private static String storageClass(JsonNode obj) {
        JsonNode annotation = obj.path("metadata").path("annotations").path("volume.beta.kubernetes.io/storage-class");
        return annotation.isTextual() ? annotation.asText() : text(obj, "spec", "storageClassName");
    }

    /** "RWO,ROX,RWX,RWOP" in that order, each once. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(m -> present.add(m.asText()));
        List<String> out = new ArrayList<>();
        if (present.contains("ReadWriteOnce")) {
            out.add("RWO");
        }
        if (present.contains("ReadOnlyMany")) {
            out.add("ROX");
        }
        if (present.contains("ReadWriteMany")) {
            out.add("RWX");
        }
        if (present.contains("ReadWriteOncePod")) {
            out.add("RWOP");
        }
        return String.join(",", out);
    }

    private static String servicePorts(JsonNode ports) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode p : ports) {
            long nodePort = p.path("nodePort").asLong(0);
            String protocol = text(p, "protocol");
            pieces.add(nodePort > 0 ? p.path("port").asLong() + ":" + nodePort + "/" + protocol
                    : p.path("port").asLong() + "/" + protocol);
        }
        return String.join(",", pieces);
    }

    private static String externalIp(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        List<String> externalIps = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> externalIps.add(ip.asText()));
        return switch (text(spec, "type")) {
            case "ClusterIP", "NodePort" -> externalIps.isEmpty() ? NONE : String.join(",", externalIps);
            case "LoadBalancer" -> {
                String lb = loadBalancerIngress(svc.path("status").path("loadBalancer").path("ingress"));
                if (!externalIps.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lb.isEmpty()) {
                        all.addAll(List.of(lb.split(",")));
                    }
                    all.addAll(externalIps);
                    yield String.join(",", all);
                }
                yield lb.isEmpty() ? "<pending>" : lb;
            }
            case "ExternalName" -> text(spec, "externalName");
            default -> Cells.UNKNOWN;
        };
    }

    /** The load balancer's IPs (or host names), sorted and without duplicates; never clipped, as the server prints wide. */
    static String loadBalancerIngress(JsonNode ingress) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode i : ingress) {
            if (!text(i, "ip").isEmpty()) {
                result.add(text(i, "ip"));
            } else if (!text(i, "hostname").isEmpty()) {
                result.add(text(i, "hostname"));
            }
        }
        return String.join(",", result);
    }

    private static String endpoints(JsonNode subsets) {
        if (subsets.isEmpty()) {
            return NONE;
        }
        final int max = 3;
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode ss : subsets) {
            JsonNode addresses = ss.path("addresses");
            if (ss.path("ports").isEmpty()) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(text(a, "ip"));
                }
                continue;
            }
            for (JsonNode port : ss.path("ports")) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    String ip = text(a, "ip");
                    list.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port.path("port").asLong());
                }
            }
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (count - max) + " more..." : joined;
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
