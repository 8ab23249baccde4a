package io.capstan.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an Endpoints object's subsets as Kubernetes' RepackSubsets does: every (address, port) pair is collected,
 * then ports offered by exactly the same addresses share one subset, each address listed as ready or not ready.
 */
final class Subsets {

    /** Per port (its JSON; "" for a headless Service without ports): address key to (address, ready). */
    private final Map<String, Map<String, Entry>> byPort = new LinkedHashMap<>();

    private record Entry(ObjectNode address, boolean ready) {}

    /** Adds one pod's address with the ports it offers (empty: none, kept as a portless subset). */
    void add(ObjectNode address, List<ObjectNode> ports, boolean ready) {
        String addressKey = address.path("ip").asText() + "/" + address.path("targetRef").path("uid").asText();
        List<String> keys = ports.isEmpty() ? List.of("") : ports.stream().map(Json::string).toList();
        for (String port : keys) {
            byPort.computeIfAbsent(port, k -> new LinkedHashMap<>()).putIfAbsent(addressKey, new Entry(address, ready));
        }
    }

    /** The subsets, addresses sorted by IP and ports by name, or an empty array. */
    ArrayNode build() {
        Map<String, List<String>> portsByAddressSet = new TreeMap<>();
        Map<String, Map<String, Entry>> addressSets = new LinkedHashMap<>();
        byPort.forEach((port, addresses) -> {
            StringBuilder key = new StringBuilder();
            new TreeMap<>(addresses).forEach((k, e) -> key.append(k).append(e.ready() ? "+" : "-").append(','));
            addressSets.put(key.toString(), addresses);
            List<String> ports = portsByAddressSet.computeIfAbsent(key.toString(), k -> new ArrayList<>());
            if (!port.isEmpty()) {
                ports.add(port);
            }
        });
        ArrayNode subsets = Json.array();
        portsByAddressSet.forEach((key, ports) -> {
            ObjectNode subset = Json.object();
            List<Entry> entries = new ArrayList<>(addressSets.get(key).values());
            entries.sort(Comparator.comparing(e -> ipSortKey(e.address().path("ip").asText())));
            ArrayNode ready = Json.array();
            ArrayNode notReady = Json.array();
            entries.forEach(e -> (e.ready() ? ready : notReady).add(e.address()));
            if (!ready.isEmpty()) {
                subset.set("addresses", ready);
            }
            if (!notReady.isEmpty()) {
                subset.set("notReadyAddresses", notReady);
            }
            if (!ports.isEmpty()) {
                ArrayNode portArray = subset.putArray("ports");
                ports.stream().map(p -> Json.parseObject(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .sorted(Comparator.comparing((JsonNode p) -> p.path("name").asText()).thenComparing(p -> p.path("port").asInt()))
                        .forEach(portArray::add);
            }
            subsets.add(subset);
        });
        return subsets;
    }

    /** Sorts dotted quads numerically. */
    private static String ipSortKey(String ip) {
        StringBuilder key = new StringBuilder();
        for (String part : ip.split("\\.")) {
            key.append(String.format("%3s", part).replace(' ', '0')).append('.');
        }
        return key.toString();
    }
}
