package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The schema of a custom kind as Kubernetes publishes it: the definition's openAPIV3Schema with
 * apiVersion, kind and metadata filled in, named by the reversed group ("com.example.stable.v1.CronTab").
 */
final class CustomSchemas {

    private CustomSchemas() {}

    /** Adds the kind and its list; returns the kind's definition name. */
    static String add(ResourceType t, ModelSchemas schemas) {
        String name = definitionName(t);
        JsonNode given = t.custom().schema();
        ObjectNode schema = given instanceof ObjectNode o ? o.deepCopy() : Json.object().put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true);
        ObjectNode props = Json.with(schema, "properties");
        props.set("apiVersion", Json.object().put("description", "APIVersion defines the versioned schema of this representation "
                + "of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized "
                + "values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources")
                .put("type", "string"));
        props.set("kind", Json.object().put("description", "Kind is a string value representing the REST resource this object "
                + "represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In "
                + "CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds")
                .put("type", "string"));
        ObjectNode meta = Json.object().put("description", "Standard object's metadata. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
        meta.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + schemas.add(ObjectMeta.class));
        props.set("metadata", meta);
        OpenApiDocuments.gvk(schema, t, t.kind());
        schemas.put(name, schema);

        ObjectNode list = Json.object().put("description", t.listKind() + " is a list of " + t.kind());
        list.put("type", "object");
        ObjectNode listProps = list.putObject("properties");
        listProps.set("apiVersion", props.get("apiVersion").deepCopy());
        listProps.set("kind", props.get("kind").deepCopy());
        listProps.putObject("items").put("description", "List of " + t.plural()).put("type", "array").putObject("items")
                .put("$ref", "#/components/schemas/" + name);
        listProps.putObject("metadata").putArray("allOf").addObject()
                .put("$ref", "#/components/schemas/" + schemas.add(ListMeta.class));
        list.putArray("required").add("items");
        OpenApiDocuments.gvk(list, t, t.listKind());
        schemas.put(name + "List", list);
        return name;
    }

    /** "stable.example.com", "v1", "CronTab" become "com.example.stable.v1.CronTab". */
    static String definitionName(ResourceType t) {
        List<String> parts = Arrays.asList(t.group().split("\\."));
        Collections.reverse(parts);
        return String.join(".", parts) + "." + t.version() + "." + t.kind();
    }
}
