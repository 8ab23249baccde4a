package io.capstan.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kinds the API serves, looked up by group/version/plural or by kind. Built-in kinds
 * are there from the start; custom kinds come and go with their definitions.
 */
public final class ResourceRegistry {

    private final List<ResourceType> types = new CopyOnWriteArrayList<>();
    private final Map<String, ResourceType> byPath = new ConcurrentHashMap<>();

    /** A registry holding every built-in kind. */
    public static ResourceRegistry withBuiltins() {
        ResourceRegistry registry = new ResourceRegistry();
        BuiltinTypes.ALL.forEach(registry::add);
        return registry;
    }

    public void add(ResourceType type) {
        if (byPath.putIfAbsent(key(type.group(), type.version(), type.plural()), type) == null) {
            types.add(type);
        }
    }

    public void remove(ResourceType type) {
        if (byPath.remove(key(type.group(), type.version(), type.plural())) != null) {
            types.remove(type);
        }
    }

    /** The kind served at /api(s)/group/version/plural. */
    public Optional<ResourceType> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(key(group, version, plural)));
    }

    /** The kind with this apiVersion ("apps/v1" or "v1") and kind name. */
    public Optional<ResourceType> findKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        for (ResourceType t : types) {
            if (t.group().equals(group) && t.version().equals(version) && t.kind().equals(kind)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public Collection<ResourceType> all() {
        return List.copyOf(types);
    }

    /** Group name to its versions (in the order first served), groups in the order first served; core group excluded. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceType t : types) {
            if (t.group().isEmpty()) {
                continue;
            }
            List<String> versions = groups.computeIfAbsent(t.group(), g -> new ArrayList<>());
            if (!versions.contains(t.version())) {
                versions.add(t.version());
            }
        }
        return groups;
    }

    /** The kinds served in one group/version, in the order added. */
    public List<ResourceType> inGroupVersion(String group, String version) {
        return types.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }

    private static String key(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    static ResourceType type(String group, String version, String kind, String plural, boolean namespaced,
                             List<String> shortNames, List<String> categories, Set<String> subresources, Class<?> model) {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(), namespaced, shortNames, categories,
                subresources, model);
    }
}
