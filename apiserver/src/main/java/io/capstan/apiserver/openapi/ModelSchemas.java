package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    private final Map<String, ObjectNode> components = new TreeMap<>();

    /** The components added so far, by definition name, in name order. */
    Map<String, ObjectNode> components() {
        return components;
    }

    /** Adds the schema of a model class and of everything it refers to; returns its definition name. */
    String add(Class<?> model) {
        JavaType type = Json.MAPPER.constructType(model);
        String name = definitionName(model);
        if (!components.containsKey(name)) {
            components.put(name, Json.object()); // placeholder: breaks cycles (JSONSchemaProps refers to itself)
            components.put(name, bean(type));
        }
        return name;
    }

    /** Adds a component schema made elsewhere (custom kinds). */
    void put(String name, ObjectNode schema) {
        components.put(name, schema);
    }

    private ObjectNode bean(JavaType type) {
        ModelDescriptions.Docs docs = ModelDescriptions.of(type.getRawClass());
        ObjectNode schema = Json.object();
        if (!docs.type().isEmpty()) {
            schema.put("description", docs.type());
        }
        schema.put("type", "object");
        ObjectNode properties = Json.object();
        List<BeanPropertyDefinition> props = Json.MAPPER.getDeserializationConfig().introspect(type).findProperties().stream()
                .filter(p -> p.hasSetter() || p.hasField() || p.hasConstructorParameter())
                .sorted(Comparator.comparing(BeanPropertyDefinition::getName)).toList();
        String owner = type.getRawClass().getSimpleName();
        for (BeanPropertyDefinition p : props) {
            ObjectNode property = property(p.getPrimaryType());
            String description = docs.fields().get(p.getName());
            if (description != null) {
                property = described(property, description);
            }
            ListExtensions.apply(owner, p.getName(), property);
            properties.set(p.getName(), property);
        }
        if (!properties.isEmpty()) {
            schema.set("properties", properties);
        }
        return schema;
    }

    private ObjectNode property(JavaType t) {
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
            array.set("items", property(t.getContentType()));
            return array;
        }
        if (t.isMapLikeType()) {
            ObjectNode map = Json.object().put("type", "object");
            map.set("additionalProperties", property(t.getContentType()));
            return map;
        }
        if (c == IntOrString.class) {
            return ref(named(c, Json.object().put("type", "string").put("format", "int-or-string")
                    .put("x-kubernetes-int-or-string", true)));
        }
        if (c == Quantity.class) {
            return ref(named(c, Json.object().put("type", "string")));
        }
        if (c == FieldsV1.class) {
            return ref(named(c, Json.object().put("type", "object")));
        }
        if (c == Object.class || JsonNode.class.isAssignableFrom(c) || c.isInterface() || Modifier.isAbstract(c.getModifiers())
                || !c.getName().startsWith(FABRIC8)) {
            return Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        }
        return ref(add(c));
    }

    private String named(Class<?> c, ObjectNode schema) {
        String name = definitionName(c);
        components.putIfAbsent(name, schema);
        return name;
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
