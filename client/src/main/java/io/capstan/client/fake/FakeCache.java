package io.capstan.client.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** For tests: a cache filled by hand, with the standard indexes, standing in for an informer. */
public final class FakeCache implements ObjectCache {

    private final Map<String, ObjectNode> objects = new LinkedHashMap<>();

    public FakeCache put(ObjectNode object) {
        objects.put(ObjectCache.key(object), object);
        return this;
    }

    public FakeCache remove(ObjectNode object) {
        objects.remove(ObjectCache.key(object));
        return this;
    }

    @Override
    public Optional<ObjectNode> get(String namespace, String name) {
        return Optional.ofNullable(objects.get(ObjectCache.key(namespace, name)));
    }

    @Override
    public List<ObjectNode> list() {
        return new ArrayList<>(objects.values());
    }

    @Override
    public List<ObjectNode> byIndex(String index, String value) {
        return objects.values().stream().filter(o -> switch (index) {
            case Indexes.NAMESPACE -> Indexes.namespace(o).contains(value);
            case Indexes.CONTROLLER -> Indexes.controller(o).contains(value);
            case Indexes.NODE_NAME -> Indexes.nodeName(o).contains(value);
            default -> false;
        }).toList();
    }
}
