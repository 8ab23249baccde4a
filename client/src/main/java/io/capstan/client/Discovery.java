package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the API serves right now, read from the legacy discovery documents (custom kinds included). */
public final class Discovery {

    private final ApiClient api;

    public Discovery(ApiClient api) {
        this.api = api;
    }

    /** Every kind served at each group's preferred version that can be listed, watched and deleted. */
    public List<ResourceType> deletableKinds() {
        List<ResourceType> types = new ArrayList<>(kinds("", "v1", api.getPath("/api/v1")));
        for (JsonNode group : api.getPath("/apis").path("groups")) {
            String name = group.path("name").asText();
            String version = group.path("preferredVersion").path("version").asText();
            types.addAll(kinds(name, version, api.getPath("/apis/" + name + "/" + version)));
        }
        return types;
    }

    static List<ResourceType> kinds(String group, String version, ObjectNode list) {
        Set<String> subresources = new HashSet<>();
        for (JsonNode r : list.path("resources")) {
            subresources.add(r.path("name").asText());
        }
        List<ResourceType> kinds = new ArrayList<>();
        for (JsonNode r : list.path("resources")) {
            String name = r.path("name").asText();
            Set<String> verbs = new HashSet<>();
            r.path("verbs").forEach(v -> verbs.add(v.asText()));
            if (name.contains("/") || !verbs.containsAll(List.of("list", "watch", "delete"))) {
                continue;
            }
            Set<String> subs = new HashSet<>();
            for (String s : subresources) {
                if (s.startsWith(name + "/")) {
                    subs.add(s.substring(name.length() + 1));
                }
            }
            List<String> shortNames = new ArrayList<>();
            r.path("shortNames").forEach(s -> shortNames.add(s.asText()));
            List<String> categories = new ArrayList<>();
            r.path("categories").forEach(s -> categories.add(s.asText()));
            kinds.add(new ResourceType(group, version, r.path("kind").asText(), name, r.path("singularName").asText(),
                    r.path("namespaced").asBoolean(), shortNames, categories, subs, null));
        }
        return kinds;
    }
}
