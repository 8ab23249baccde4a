package io.capstan.api.table;

import static io.capstan.api.table.Cells.NONE;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Services and how traffic reaches them: Service, Endpoints, EndpointSlice, Ingress, IngressClass, NetworkPolicy. */
final class NetworkTables {

    private NetworkTables() {}

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

    static final KindTable INGRESS = new KindTable(Columns.name()
            .string("Class", "The name of the IngressClass resource that should be used for additional configuration")
            .string("Hosts", "Hosts that incoming requests are matched against before the ingress rule")
            .string("Address", "Address is a list containing ingress points for the load-balancer")
            .string("Ports", "Ports of TLS configurations that open")
            .age().build(),
            (ing, now) -> {
                JsonNode spec = ing.path("spec");
                String className = spec.path("ingressClassName").isTextual() ? spec.path("ingressClassName").asText() : NONE;
                return List.of(name(ing), className, hosts(spec.path("rules")),
                        loadBalancerIngress(ing.path("status").path("loadBalancer").path("ingress")),
                        spec.path("tls").isEmpty() ? "80" : "80, 443", TableConvertor.age(ing, now));
            });

    static final KindTable INGRESS_CLASS = new KindTable(Columns.name()
            .string("Controller", "Controller that is responsible for handling this class")
            .string("Parameters", "A reference to a resource with additional parameters")
            .age().build(),
            (ic, now) -> {
                JsonNode p = ic.path("spec").path("parameters");
                String parameters = NONE;
                if (p.isObject()) {
                    parameters = text(p, "kind") + (p.path("apiGroup").isTextual() ? "." + p.path("apiGroup").asText() : "")
                            + "/" + text(p, "name");
                }
                return List.of(name(ic), text(ic, "spec", "controller"), parameters, TableConvertor.age(ic, now));
            });

    static final KindTable NETWORK_POLICY = new KindTable(Columns.name()
            .string("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is "
                    + "applied to any pods selected by this field. Multiple network policies can select the same set of pods. In "
                    + "this case, the ingress rules for each are combined additively. This field is NOT optional and follows "
                    + "standard label selector semantics. An empty podSelector matches all pods in this namespace.")
            .age().build(),
            (np, now) -> List.of(name(np), Cells.labelSelector(np.path("spec").path("podSelector")), TableConvertor.age(np, now)));

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

    /** The first three hosts, "+ N more...", or "*" when no rule names a host. */
    private static String hosts(JsonNode rules) {
        final int max = 3;
        List<String> list = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == max) {
                more = true;
            }
            if (!more && !text(rule, "host").isEmpty()) {
                list.add(text(rule, "host"));
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - max) + " more..." : joined;
    }

}
