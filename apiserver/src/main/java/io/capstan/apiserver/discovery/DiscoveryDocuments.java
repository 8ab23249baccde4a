package io.capstan.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.apiserver.authz.Reviews;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Builds the discovery documents (legacy lists and aggregated v2) from the registry of kinds and the (never stored) review kinds. */
public final class DiscoveryDocuments {

    public static final String AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private final ResourceRegistry types;

    public DiscoveryDocuments(ResourceRegistry types) {
        this.types = types;
    }

    /** GET /api */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode doc = Json.object().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return doc;
    }

    /** GET /apis */
    public ObjectNode apiGroupList() {
        ObjectNode doc = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (Map.Entry<String, List<String>> g : groups().entrySet()) {
            groups.add(apiGroup(g.getKey(), g.getValue()));
        }
        return doc;
    }

    /** GET /apis/GROUP, or null when no such group is served. */
    public ObjectNode apiGroup(String group) {
        List<String> versions = groups().get(group);
        if (versions == null) {
            return null;
        }
        ObjectNode doc = apiGroup(group, versions);
        doc.put("kind", "APIGroup").put("apiVersion", "v1");
        return doc;
    }

    private static ObjectNode apiGroup(String group, List<String> versions) {
        ObjectNode g = Json.object().put("name", group);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", group + "/" + v).put("version", v);
        }
        g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.getFirst()).put("version", versions.getFirst());
        return g;
    }

    /** The served groups and their versions, with the review groups (v1) added. */
    private Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>(types.groups());
        for (Reviews.Kind k : Reviews.SERVED) {
            groups.putIfAbsent(k.group(), List.of("v1"));
        }
        return groups;
    }

    private static List<Reviews.Kind> reviews(String group, String version) {
        return version.equals("v1") ? Reviews.SERVED.stream().filter(k -> k.group().equals(group)).toList() : List.of();
    }

    /** GET /api/v1 or /apis/GROUP/VERSION, or null when nothing is served there. */
    public ObjectNode resourceList(String group, String version) {
        List<ResourceType> served = types.inGroupVersion(group, version);
        if (served.isEmpty() && reviews(group, version).isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType t : served) {
            ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            strings(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), t.shortNames());
            }
            if (!t.categories().isEmpty()) {
                strings(r.putArray("categories"), t.categories());
            }
            for (String sub : new TreeSet<>(t.subresources())) {
                Subresources.Info info = Subresources.of(sub, t.kind());
                ObjectNode s = resources.addObject().put("name", t.plural() + "/" + sub).put("singularName", "")
                        .put("namespaced", t.namespaced());
                if (!info.group().isEmpty()) {
                    s.put("group", info.group()).put("version", info.version());
                }
                s.put("kind", info.kind().isEmpty() ? t.kind() : info.kind());
                strings(s.putArray("verbs"), info.verbs());
            }
        }
        for (Reviews.Kind k : reviews(group, version)) {
            resources.addObject().put("name", k.plural()).put("singularName", k.kind().toLowerCase()).put("namespaced", k.namespaced())
                    .put("kind", k.kind()).putArray("verbs").add("create");
        }
        return doc;
    }

    /** Aggregated discovery (apidiscovery.k8s.io/v2) of the core group (legacy = true) or of every named group. */
    public ObjectNode aggregated(boolean legacy) {
        ObjectNode doc = Json.object().put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        if (legacy) {
            items.add(groupDiscovery("", List.of("v1")));
        } else {
            groups().forEach((g, versions) -> items.add(groupDiscovery(g, versions)));
        }
        return doc;
    }

    private ObjectNode groupDiscovery(String group, List<String> versions) {
        ObjectNode item = Json.object();
        ObjectNode meta = item.putObject("metadata");
        meta.put("name", group);
        meta.putNull("creationTimestamp");
        ArrayNode vs = item.putArray("versions");
        for (String v : versions) {
            ObjectNode version = vs.addObject().put("version", v);
            ArrayNode resources = version.putArray("resources");
            for (ResourceType t : types.inGroupVersion(group, v)) {
                ObjectNode r = resources.addObject().put("resource", t.plural());
                r.putObject("responseKind").put("group", group).put("version", v).put("kind", t.kind());
                r.put("scope", t.namespaced() ? "Namespaced" : "Cluster").put("singularResource", t.singular());
                strings(r.putArray("verbs"), t.verbs());
                if (!t.shortNames().isEmpty()) {
                    strings(r.putArray("shortNames"), t.shortNames());
                }
                if (!t.categories().isEmpty()) {
                    strings(r.putArray("categories"), t.categories());
                }
                if (!t.subresources().isEmpty()) {
                    ArrayNode subs = r.putArray("subresources");
                    for (String sub : new TreeSet<>(t.subresources())) {
                        Subresources.Info info = Subresources.of(sub, t.kind());
                        ObjectNode s = subs.addObject().put("subresource", sub);
                        s.putObject("responseKind").put("group", info.group().isEmpty() ? group : info.group())
                                .put("version", info.version().isEmpty() ? v : info.version())
                                .put("kind", info.kind().isEmpty() ? t.kind() : info.kind());
                        strings(s.putArray("verbs"), info.verbs());
                    }
                }
            }
            for (Reviews.Kind k : reviews(group, v)) {
                ObjectNode r = resources.addObject().put("resource", k.plural());
                r.putObject("responseKind").put("group", group).put("version", v).put("kind", k.kind());
                r.put("scope", k.namespaced() ? "Namespaced" : "Cluster").put("singularResource", k.kind().toLowerCase());
                r.putArray("verbs").add("create");
            }
            version.put("freshness", "Current");
        }
        return item;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
