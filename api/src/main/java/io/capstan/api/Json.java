package io.capstan.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON and YAML configuration every module uses, and small tree helpers. */
public final class Json {

    /** Nesting deeper than this is hostile input, never a real object. */
    public static final int MAX_DEPTH = 100;

    public static final ObjectMapper MAPPER = configure(new ObjectMapper());
    public static final ObjectMapper YAML = configure(new YAMLMapper(YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build()));

    private Json() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        return mapper;
    }

    /**
     * A JSON tree as a typed model (a fabric8 Pod, say). The trailing-token check is off here: fabric8's Quantity
     * deserializer reads a sub-tree and would trip over it.
     */
    public static <T> T typed(JsonNode node, Class<T> type) {
        try {
            return MAPPER.readerFor(type).without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(node);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses bytes known to be a JSON object (stored data, never user input). */
    public static ObjectNode parseObject(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text at a dotted path ("metadata.name"), or null when absent or not text. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** The node at a path, or null when any step is absent. */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** The object at a path, created (replacing non-objects) on the way. */
    public static ObjectNode with(ObjectNode node, String... path) {
        ObjectNode n = node;
        for (String p : path) {
            JsonNode child = n.get(p);
            if (child instanceof ObjectNode o) {
                n = o;
            } else {
                n = n.putObject(p);
            }
        }
        return n;
    }

    /** metadata.labels as a map (empty when absent). */
    public static Map<String, String> labels(JsonNode object) {
        return stringMap(at(object, "metadata", "labels"));
    }

    /** A JSON object of strings as a map; non-text values are skipped. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    map.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return map;
    }
}
