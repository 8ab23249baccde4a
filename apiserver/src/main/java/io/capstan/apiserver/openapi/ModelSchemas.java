package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.SchemaChecker;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Component schemas for built-in kinds, derived from the fabric8 model classes: every property
 * with its OpenAPI type and format, objects as $refs to components named as Kubernetes names its
 * definitions ("io.k8s.api.apps.v1.DeploymentSpec"), list merge metadata from {@link ListExtensions}.
 */
final class ModelSchemas {

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
    private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");
    /** Types fabric8 keeps in its core package that Kubernetes defines in apimachinery's meta/v1. */
    private static final Set<String> META = Set.of("ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement",
            "OwnerReference", "ManagedFieldsEntry", "Condition", "Status", "StatusDetails", "StatusCause", "DeleteOptions",
            "Preconditions", "FieldsV1", "Time", "MicroTime", "Duration", "APIResource", "GroupVersionForDiscovery");

    /** Each model class is inspected once: its schema, and the model classes it refers to. */
    private record Bean(ObjectNode schema, Set<Class<?>> refs) {}

    private static final Map<Class<?>, Bean> BEANS = new ConcurrentHashMap<>();
    /** Types Kubernetes defines as strings or free objects, not by their Java shape. */
    private static final Map<Class<?>, ObjectNode> SCALARS = Map.of(
            IntOrString.class, Json.object().put("description", "IntOrString is a type that can hold an int32 or a string.  When used in "
                    + "JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for "
                    + "example, a JSON field that can accept a name or number.").put("type", "string").put("format", "int-or-string")
                    .put("x-kubernetes-int-or-string", true),
            Quantity.class, Json.object().put("description", "Quantity is a fixed-point representation of a number. It provides "
                    + "convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.")
                    .put("type", "string"),
            FieldsV1.class, Json.object().put("description", "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON "
                    + "format.").put("type", "object"));

    private final Map<String, ObjectNode> components = new TreeMap<>();

    /** The components added so far, by definition name, in name order. */
    Map<String, ObjectNode> components() {
        return components;
    }

    /**
     * Adds the schema of a model class and of everything it refers to; returns its definition name.
     * The schemas are shared between documents: copy one before changing it.
     */
    String add(Class<?> model) {
        String name = definitionName(model);
        if (components.containsKey(name)) {
            return name;
        }
        if (SCALARS.containsKey(model)) {
            components.put(name, SCALARS.get(model));
            return name;
        }
        Bean bean = BEANS.computeIfAbsent(model, c -> bean(Json.MAPPER.constructType(c)));
        components.put(name, bean.schema());
        bean.refs().forEach(this::add);
        return name;
    }

    /** Adds a component schema made elsewhere (custom kinds, kinds with their group-version-kind). */
    void put(String name, ObjectNode schema) {
        components.put(name, schema);
    }

    private static Bean bean(JavaType type) {
        ModelDescriptions.Docs docs = ModelDescriptions.of(type.getRawClass());
        ObjectNode schema = Json.object();
        if (!docs.type().isEmpty()) {
            schema.put("description", docs.type());
        }
        schema.put("type", "object");
        ObjectNode properties = Json.object();
        Set<Class<?>> refs = new LinkedHashSet<>();
        String owner = type.getRawClass().getSimpleName();
        for (Map.Entry<String, JavaType> p : jsonProperties(type.getRawClass()).entrySet()) {
            ObjectNode property = property(p.getValue(), refs);
            String description = docs.fields().get(p.getKey());
            if (description != null) {
                property = described(property, description);
            }
            ListExtensions.apply(owner, p.getKey(), property);
            properties.set(p.getKey(), property);
        }
        if (!properties.isEmpty()) {
            schema.set("properties", properties);
        }
        return new Bean(schema, refs);
    }

    /**
     * The JSON properties of a model class, by name: its fields annotated with @JsonProperty, as
     * fabric8 generates every model. (Plain reflection: Jackson's introspection of these classes is
     * a hundred times slower, as it resolves every annotation they carry.)
     */
    private static Map<String, JavaType> jsonProperties(Class<?> model) {
        Map<String, JavaType> properties = new TreeMap<>();
        for (Class<?> c = model; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                JsonProperty json = f.getAnnotation(JsonProperty.class);
                if (json != null && !Modifier.isStatic(f.getModifiers()) && f.getAnnotation(JsonIgnore.class) == null) {
                    String name = json.value().isEmpty() ? f.getName() : json.value();
                    properties.putIfAbsent(name, Json.MAPPER.getTypeFactory().constructType(f.getGenericType()));
                }
            }
        }
        return properties;
    }

    private static ObjectNode property(JavaType t, Set<Class<?>> refs) {
        Class<?> c = t.getRawClass();
        if (c == String.class || c.isEnum()) {
            return Json.object().put("type", "string");
        }
        if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
            return Json.object().put("type", "integer").put("format", "int32");
        }
        if (c == Long.class || c == long.class) {
            return Json.object().put("type", "integer").put("format", "int64");
        }
        if (c == Boolean.class || c == boolean.class) {
            return Json.object().put("type", "boolean");
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class || c == BigDecimal.class) {
            return Json.object().put("type", "number").put("format", "double");
        }
        if (t.isCollectionLikeType() || t.isArrayType()) {
            if (t.getContentType().getRawClass() == Byte.class || c == byte[].class) {
                return Json.object().put("type", "string").put("format", "byte");
            }
            ObjectNode array = Json.object().put("type", "array");
            array.set("items", property(t.getContentType(), refs));
            return array;
        }
        if (t.isMapLikeType()) {
            ObjectNode map = Json.object().put("type", "object");
            map.set("additionalProperties", property(t.getContentType(), refs));
            return map;
        }
        if (!SCALARS.containsKey(c) && (c == Object.class || JsonNode.class.isAssignableFrom(c) || c.isInterface()
                || SchemaChecker.customDecoded(c)
                || Modifier.isAbstract(c.getModifiers()) || !c.getName().startsWith(FABRIC8))) {
            return Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        }
        refs.add(c);
        return ref(definitionName(c));
    }

    /** A property with its description; a bare $ref moves into allOf, as Kubernetes writes it, so the description can sit beside it. */
    private static ObjectNode described(ObjectNode property, String description) {
        if (property.has("$ref")) {
            ObjectNode wrapped = Json.object();
            wrapped.putArray("allOf").add(property);
            property = wrapped;
        }
        property.put("description", description);
        return property;
    }

    private static ObjectNode ref(String name) {
        return Json.object().put("$ref", "#/components/schemas/" + name);
    }

    /** Kubernetes' definition name of a fabric8 model class. */
    static String definitionName(Class<?> c) {
        String simple = c.getSimpleName();
        if (c == IntOrString.class) {
            return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        }
        if (c == Quantity.class) {
            return "io.k8s.apimachinery.pkg.api.resource.Quantity";
        }
        String pkg = c.getPackageName();
        if (pkg.equals(FABRIC8) && META.contains(simple)) {
            return "io.k8s.apimachinery.pkg.apis.meta.v1." + simple;
        }
        String rest = pkg.startsWith(FABRIC8) ? pkg.substring(FABRIC8.length()).replaceFirst("^\\.", "") : pkg;
        if (rest.isEmpty()) {
            return "io.k8s.api.core.v1." + simple;
        }
        String[] parts = rest.split("\\.");
        String version = VERSION.matcher(parts[parts.length - 1]).matches() ? parts[parts.length - 1] : "v1";
        if (parts[0].equals("apiextensions")) {
            return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + version + "." + simple;
        }
        return "io.k8s.api." + parts[0] + "." + version + "." + simple;
    }
}
