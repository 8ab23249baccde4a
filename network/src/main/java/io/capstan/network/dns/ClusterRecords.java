package io.capstan.network.dns;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SRVRecord;

/**
 * The records the Kubernetes DNS specification (kubernetes/dns docs/specification.md) asks for, built from Services,
 * EndpointSlices and Pods: A/AAAA of a service's cluster IPs, or of every ready endpoint of a headless service (and
 * of each endpoint's own name under it), CNAME for ExternalName, SRV for named ports, PTR for service and headless
 * endpoint addresses, and pod records {@code 1-2-3-4.ns.pod.<domain>} for pods that have that address (CoreDNS's
 * "pods verified").
 */
public final class ClusterRecords {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ClusterRecords() {}

    /** The zone of these objects; serial goes into the SOA. */
    public static DnsZone build(String domain, long ttl, List<? extends JsonNode> services, List<? extends JsonNode> slices,
                                List<? extends JsonNode> pods, long serial) {
        DnsZone.Builder zone = DnsZone.builder(domain, ttl);
        Map<String, List<JsonNode>> slicesByService = new HashMap<>();
        for (JsonNode slice : slices) {
            String service = slice.path("metadata").path("labels").path(SERVICE_NAME_LABEL).asText("");
            if (!service.isEmpty()) {
                slicesByService.computeIfAbsent(namespace(slice) + "/" + service, k -> new ArrayList<>()).add(slice);
            }
        }
        Map<String, JsonNode> podsByKey = new HashMap<>();
        for (JsonNode pod : pods) {
            podsByKey.put(namespace(pod) + "/" + pod.path("metadata").path("name").asText(), pod);
            addPod(zone, pod);
        }
        Name svcZone = DnsZone.name("svc", zone.domain());
        for (JsonNode service : services) {
            Name namespace = DnsZone.name(namespace(service), svcZone);
            Name name = namespace == null ? null : DnsZone.name(service.path("metadata").path("name").asText(), namespace);
            if (name != null) {
                addService(zone, name, service, slicesByService.getOrDefault(
                        namespace(service) + "/" + service.path("metadata").path("name").asText(), List.of()), podsByKey);
            }
        }
        return zone.build(serial);
    }

    private static void addService(DnsZone.Builder zone, Name name, JsonNode service, List<JsonNode> slices,
                                   Map<String, JsonNode> pods) {
        zone.markExists(name);
        JsonNode spec = service.path("spec");
        if (spec.path("type").asText("").equals("ExternalName")) {
            Name target = externalName(spec.path("externalName").asText(""));
            if (target != null) {
                zone.add(new CNAMERecord(name, DClass.IN, zone.ttl(), target));
            }
            return;
        }
        if (spec.path("clusterIP").asText("").equals("None")) {
            addHeadless(zone, name, service, slices, pods);
            return;
        }
        Set<String> ips = new LinkedHashSet<>();
        spec.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
        if (ips.isEmpty() && !spec.path("clusterIP").asText("").isEmpty()) {
            ips.add(spec.path("clusterIP").asText());
        }
        for (String ip : ips) {
            InetAddress address = address(ip);
            if (address != null) {
                zone.add(addressRecord(name, address, zone.ttl()));
                zone.add(new PTRRecord(ReverseMap.fromAddress(address), DClass.IN, zone.ttl(), name));
            }
        }
        if (!ips.isEmpty()) {
            Srv srv = new Srv();
            for (JsonNode port : spec.path("ports")) {
                srv.add(port, name, name);
            }
            srv.addTo(zone);
        }
    }

    /** A headless service: every ready endpoint, each also under its own name (its hostname, else its dashed address). */
    private static void addHeadless(DnsZone.Builder zone, Name name, JsonNode service, List<JsonNode> slices,
                                    Map<String, JsonNode> pods) {
        boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        String serviceName = service.path("metadata").path("name").asText();
        Srv srv = new Srv();
        for (JsonNode slice : slices) {
            for (JsonNode endpoint : slice.path("endpoints")) {
                // A missing ready condition means unknown, which consumers take as ready.
                if (!publishNotReady && !endpoint.path("conditions").path("ready").asBoolean(true)) {
                    continue;
                }
                String hostname = hostname(endpoint, serviceName, pods);
                for (JsonNode ip : endpoint.path("addresses")) {
                    InetAddress address = address(ip.asText());
                    if (address == null) {
                        continue;
                    }
                    Name host = DnsZone.name(hostname != null ? hostname : dashed(address), name);
                    zone.add(addressRecord(name, address, zone.ttl()));
                    if (host == null) {
                        continue;
                    }
                    zone.add(addressRecord(host, address, zone.ttl()));
                    zone.add(new PTRRecord(ReverseMap.fromAddress(address), DClass.IN, zone.ttl(), host));
                    for (JsonNode port : slice.path("ports")) {
                        srv.add(port, name, host);
                    }
                }
            }
        }
        srv.addTo(zone);
    }

    /**
     * The endpoint's hostname; when the EndpointSlice leaves it out, the one the endpoint controllers would set:
     * the pod's spec.hostname if its spec.subdomain names this service.
     */
    private static String hostname(JsonNode endpoint, String serviceName, Map<String, JsonNode> pods) {
        String hostname = endpoint.path("hostname").asText("");
        if (!hostname.isEmpty()) {
            return hostname;
        }
        JsonNode ref = endpoint.path("targetRef");
        if (!ref.path("kind").asText("Pod").equals("Pod")) {
            return null;
        }
        JsonNode pod = pods.get(ref.path("namespace").asText("") + "/" + ref.path("name").asText(""));
        if (pod == null || !pod.path("spec").path("subdomain").asText("").equals(serviceName)) {
            return null;
        }
        String podHostname = pod.path("spec").path("hostname").asText("");
        return podHostname.isEmpty() ? null : podHostname;
    }

    /** 1-2-3-4.ns.pod.domain for each address of a pod that is not finished (a finished pod's address may be reused). */
    private static void addPod(DnsZone.Builder zone, JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return;
        }
        Set<String> ips = new LinkedHashSet<>();
        pod.path("status").path("podIPs").forEach(ip -> ips.add(ip.path("ip").asText()));
        if (ips.isEmpty() && !pod.path("status").path("podIP").asText("").isEmpty()) {
            ips.add(pod.path("status").path("podIP").asText());
        }
        Name namespace = DnsZone.name(namespace(pod) + ".pod", zone.domain());
        for (String ip : ips) {
            InetAddress address = address(ip);
            Name name = address == null || namespace == null ? null : DnsZone.name(dashed(address), namespace);
            if (name != null) {
                zone.add(addressRecord(name, address, zone.ttl()));
            }
        }
    }

    /** SRV records by owner; each set shares weight 100 equally, as CoreDNS does. */
    private static final class Srv {
        private record Target(int port, Name host) {}

        private final Map<Name, List<Target>> byOwner = new LinkedHashMap<>();

        /** _name._proto.service for a named port, pointing at host; unnamed ports have no SRV record. */
        void add(JsonNode port, Name service, Name host) {
            String portName = port.path("name").asText("");
            String protocol = port.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
            int number = port.path("port").asInt(0);
            Name owner = portName.isEmpty() || number <= 0 ? null : DnsZone.name("_" + portName + "._" + protocol, service);
            if (owner != null) {
                // the same endpoint in two slices (a hand-made one beside the controller's) is one target, not two
                List<Target> targets = byOwner.computeIfAbsent(owner, k -> new ArrayList<>());
                Target target = new Target(number, host);
                if (!targets.contains(target)) {
                    targets.add(target);
                }
            }
        }

        void addTo(DnsZone.Builder zone) {
            byOwner.forEach((owner, targets) -> {
                int weight = Math.max(1, 100 / targets.size());
                for (Target t : targets) {
                    zone.add(new SRVRecord(owner, DClass.IN, zone.ttl(), 0, weight, t.port(), t.host()));
                }
            });
        }
    }

    private static Record addressRecord(Name name, InetAddress address, long ttl) {
        return address instanceof java.net.Inet6Address
                ? new AAAARecord(name, DClass.IN, ttl, address)
                : new ARecord(name, DClass.IN, ttl, address);
    }

    /** 10.42.0.5 as 10-42-0-5; an IPv6 address with its colons as dashes, as the specification's pod records. */
    static String dashed(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return (zone >= 0 ? text.substring(0, zone) : text).replace('.', '-').replace(':', '-');
    }

    /** A literal address, never a host name lookup; null when it is not one. */
    static InetAddress address(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Name externalName(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return DnsZone.absolute(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String namespace(JsonNode object) {
        return object.path("metadata").path("namespace").asText("");
    }
}
