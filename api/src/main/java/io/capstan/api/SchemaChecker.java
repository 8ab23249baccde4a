package io.capstan.api;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.capstan.api.crd.SchemaPruner;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks objects of built-in kinds against their schema, taken from the fabric8 model classes:
 * which fields the kind does not have (for fieldValidation) and which values have the wrong type.
 */
public final class SchemaChecker {

    /** A checking mapper that, like Go's decoder, refuses "3" where a number belongs. */
    private static final ObjectMapper STRICT_TYPES = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule().addDeserializer(
                    java.time.ZonedDateTime.class, new TimestampDeserializer()))
            .build();

    /** fabric8 models some timestamps (Lease renewTime) as ZonedDateTime; on the wire they are RFC 3339 strings. */
    private static final class TimestampDeserializer extends com.fasterxml.jackson.databind.JsonDeserializer<java.time.ZonedDateTime> {
        @Override
        public java.time.ZonedDateTime deserialize(com.fasterxml.jackson.core.JsonParser p,
                com.fasterxml.jackson.databind.DeserializationContext ctx) throws java.io.IOException {
            if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                return (java.time.ZonedDateTime) ctx.handleUnexpectedToken(java.time.ZonedDateTime.class, p);
            }
            try {
                return java.time.ZonedDateTime.parse(p.getText());
            } catch (java.time.format.DateTimeParseException e) {
                return (java.time.ZonedDateTime) ctx.handleWeirdStringValue(java.time.ZonedDateTime.class, p.getText(), "not an RFC 3339 time");
            }
        }
    }

    private final Map<Class<?>, Map<String, JavaType>> properties = new ConcurrentHashMap<>();

    /** Paths of fields the kind's schema does not have, as Kubernetes names them ("spec.foo", "spec.containers[0].imagee"). */
    public List<String> unknownFields(ResourceType type, JsonNode obj) {
        if (type.custom() != null) {
            return SchemaPruner.unknownFields(type.custom().schema(), obj);
        }
        List<String> unknown = new ArrayList<>();
        if (type.modelClass() != null) {
            walk(obj, STRICT_TYPES.constructType(type.modelClass()), "", unknown);
        }
        return unknown;
    }

    private void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
        if (node == null || node.isNull() || opaque(type)) {
            return;
        }
        if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), type.getContentType(), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (type.isMapLikeType()) {
            node.properties().forEach(e -> walk(e.getValue(), type.getContentType(), join(path, e.getKey()), unknown));
            return;
        }
        Map<String, JavaType> props = properties.computeIfAbsent(type.getRawClass(), c -> introspect(type));
        node.properties().forEach(e -> {
            JavaType child = props.get(e.getKey());
            if (child == null) {
                unknown.add(join(path, e.getKey()));
            } else {
                walk(e.getValue(), child, join(path, e.getKey()), unknown);
            }
        });
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Types whose inside is free-form or scalar-like: nothing below them is unknown. */
    private static boolean opaque(JavaType type) {
        Class<?> c = type.getRawClass();
        return c == Object.class || JsonNode.class.isAssignableFrom(c) || c == IntOrString.class || c == Quantity.class
                || c == FieldsV1.class
                || customDecoded(c)
                || c.isPrimitive() || c.getName().startsWith("java.lang.") || c.isEnum()
                || ((c.isInterface() || Modifier.isAbstract(c.getModifiers())) && !type.isContainerType());
    }

    /** Types with their own decoder (JSONSchemaPropsOrArray, JSONSchemaPropsOrBool): their JSON is not their Java shape. */
    public static boolean customDecoded(Class<?> c) {
        JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
        return d != null && d.using() != JsonDeserializer.None.class;
    }

    private Map<String, JavaType> introspect(JavaType type) {
        Map<String, JavaType> props = new HashMap<>();
        for (BeanPropertyDefinition p : STRICT_TYPES.getDeserializationConfig().introspect(type).findProperties()) {
            if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                props.put(p.getName(), p.getPrimaryType());
            }
        }
        return props;
    }

    /** Refuses values of the wrong type with the 400 Kubernetes gives. */
    public void checkTypes(ResourceType type, JsonNode obj) {
        if (type.modelClass() == null) {
            return;
        }
        try {
            STRICT_TYPES.treeToValue(obj, type.modelClass());
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            String parent = e.getPath().size() > 1 ? e.getPath().get(e.getPath().size() - 2).getFrom() instanceof Object o
                    ? o.getClass().getSimpleName() : type.kind() : type.kind();
            throw StatusException.badRequest(prefix(type) + "json: cannot unmarshal " + found(e) + " into Go struct field "
                    + parent + "." + field + " of type " + goType(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw StatusException.badRequest(prefix(type) + e.getMessage());
        }
    }

    private static String found(JsonMappingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("String value") || m.contains("from String")) {
            return "string";
        }
        if (m.contains("Object value") || m.contains("START_OBJECT")) {
            return "object";
        }
        if (m.contains("Array value") || m.contains("START_ARRAY")) {
            return "array";
        }
        if (m.contains("Boolean") || m.contains("VALUE_TRUE") || m.contains("VALUE_FALSE")) {
            return "bool";
        }
        return "number";
    }

    private static String goType(JsonMappingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("`int`") || m.contains("java.lang.Integer")) {
            return "int32";
        }
        if (m.contains("`long`") || m.contains("java.lang.Long")) {
            return "int64";
        }
        if (m.contains("`boolean`") || m.contains("java.lang.Boolean")) {
            return "bool";
        }
        if (m.contains("java.lang.String")) {
            return "string";
        }
        if (m.contains("java.util.Map") || m.contains("LinkedHashMap")) {
            return "map[string]string";
        }
        if (m.contains("java.util.List") || m.contains("ArrayList")) {
            return "[]";
        }
        return "struct";
    }

    private static String prefix(ResourceType type) {
        return type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
    }

    /** The 400 message for unknown fields under fieldValidation=Strict. */
    public static String strictMessage(ResourceType type, List<String> unknown) {
        return prefix(type) + "strict decoding error: "
                + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
    }
}
