package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.api.table.TableColumn;
import io.capstan.api.table.TableConvertor;
import io.capstan.api.table.TableRowCondition;
import io.capstan.apiserver.registry.ListResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Shapes answers as the client's Accept header asks: the object itself, a Table, or PartialObjectMetadata. */
final class Renderer {

    /** The forms an answer can take. */
    enum Form { OBJECT, TABLE, METADATA }

    static final String TABLE_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    static final String METADATA_TYPE = "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
    static final String METADATA_LIST_TYPE = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";

    private Renderer() {}

    /** The first form in the Accept header the server can give; 406 when it can give none. */
    static Form form(String accept) {
        if (accept == null || accept.isBlank()) {
            return Form.OBJECT;
        }
        for (String range : accept.split(",")) {
            String r = range.replace(" ", "").toLowerCase(Locale.ROOT);
            if (r.contains("as=table") && r.contains("g=meta.k8s.io")) {
                return Form.TABLE;
            }
            if (r.contains("as=partialobjectmetadata") && r.contains("g=meta.k8s.io")) {
                return Form.METADATA;
            }
            if (r.startsWith("application/json") || r.startsWith("*/*") || r.startsWith("application/*")
                    || r.startsWith("application/yaml")) {
                if (!r.contains("as=")) {
                    return Form.OBJECT;
                }
            }
        }
        throw StatusException.notAcceptable("only the following media types are accepted: application/json, application/yaml, "
                + "application/json;as=Table;v=v1;g=meta.k8s.io");
    }

    static String contentType(Form form, boolean list) {
        return switch (form) {
            case TABLE -> TABLE_TYPE;
            case METADATA -> list ? METADATA_LIST_TYPE : METADATA_TYPE;
            case OBJECT -> "application/json";
        };
    }

    static ObjectNode list(ResourceType type, ListResult result, Form form, String includeObject) {
        return switch (form) {
            case TABLE -> table(type, result.items(), includeObject, true, listMeta(result));
            case METADATA -> {
                ObjectNode list = Json.object().put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/v1");
                list.set("metadata", listMeta(result));
                ArrayNode items = list.putArray("items");
                result.items().forEach(o -> items.add(partial(o)));
                yield list;
            }
            case OBJECT -> {
                ObjectNode list = Json.object().put("kind", type.listKind()).put("apiVersion", type.apiVersion());
                list.set("metadata", listMeta(result));
                list.putArray("items").addAll(List.copyOf(result.items()));
                yield list;
            }
        };
    }

    static ObjectNode single(ResourceType type, ObjectNode obj, Form form, String includeObject) {
        return switch (form) {
            case TABLE -> table(type, List.of(obj), includeObject, true,
                    Json.object().put("resourceVersion", obj.path("metadata").path("resourceVersion").asText("")));
            case METADATA -> partial(obj);
            case OBJECT -> obj;
        };
    }

    /** The scale subresource in the asked form: the Scale, a Table of it, or its metadata. */
    static ObjectNode scale(ObjectNode scale, Form form, String includeObject) {
        return switch (form) {
            case TABLE -> table(TableConvertor.forScale(), List.of(scale), includeObject, true,
                    Json.object().put("resourceVersion", scale.path("metadata").path("resourceVersion").asText("")));
            case METADATA -> partial(scale);
            case OBJECT -> scale;
        };
    }

    /**
     * The includeObject query parameter of a Table request: Metadata when absent; anything but None, Object and
     * Metadata is a 400, as kube-apiserver answers. Other forms ignore it.
     */
    static String includeObject(Form form, String value) {
        if (form != Form.TABLE || value == null || value.isEmpty()) {
            return "Metadata";
        }
        if (!Set.of("None", "Object", "Metadata").contains(value)) {
            throw StatusException.badRequest("unrecognized includeObject value: \"" + value + "\"");
        }
        return value;
    }

    /**
     * A Table of objects, with every column as kube-apiserver gives them (kubectl hides the wide ones itself).
     * Watch events after the first leave the column definitions out (null), as Kubernetes does.
     */
    static ObjectNode table(ResourceType type, List<ObjectNode> objects, String includeObject, boolean withColumns, ObjectNode meta) {
        return table(TableConvertor.forType(type), objects, includeObject, withColumns, meta);
    }

    private static ObjectNode table(TableConvertor convertor, List<ObjectNode> objects, String includeObject, boolean withColumns,
                                    ObjectNode meta) {
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.set("metadata", meta);
        if (withColumns) {
            ArrayNode columns = table.putArray("columnDefinitions");
            for (TableColumn c : convertor.columns()) {
                columns.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                        .put("description", c.description()).put("priority", c.priority());
            }
        } else {
            table.putNull("columnDefinitions");
        }
        ArrayNode rows = table.putArray("rows");
        Instant now = Instant.now();
        for (ObjectNode obj : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : convertor.cells(obj, now)) {
                switch (cell) {
                    case null -> cells.addNull();
                    case String text -> cells.add(text);
                    case Long number -> cells.add(number);
                    case Integer number -> cells.add(number);
                    case Double number -> cells.add(number);
                    case Boolean flag -> cells.add(flag);
                    default -> cells.addPOJO(cell);
                }
            }
            List<TableRowCondition> conditions = convertor.conditions(obj);
            if (!conditions.isEmpty()) {
                ArrayNode conds = row.putArray("conditions");
                for (TableRowCondition c : conditions) {
                    conds.addObject().put("type", c.type()).put("status", c.status()).put("reason", c.reason())
                            .put("message", c.message());
                }
            }
            switch (includeObject == null ? "Metadata" : includeObject) {
                case "Object" -> row.set("object", obj);
                case "None" -> row.putNull("object");
                default -> row.set("object", partial(obj));
            }
        }
        return table;
    }

    static ObjectNode partial(ObjectNode obj) {
        ObjectNode p = Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        p.set("metadata", obj.path("metadata").deepCopy());
        return p;
    }

    private static ObjectNode listMeta(ListResult result) {
        ObjectNode meta = Json.object().put("resourceVersion", Long.toString(result.resourceVersion()));
        if (result.continueToken() != null) {
            meta.put("continue", result.continueToken());
        }
        if (result.remainingItemCount() != null) {
            meta.put("remainingItemCount", result.remainingItemCount());
        }
        return meta;
    }
}
