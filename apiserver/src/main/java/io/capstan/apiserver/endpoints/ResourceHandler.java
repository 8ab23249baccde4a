package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldSelector;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.Patches;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.SchemaChecker;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.http.Responses;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.ListResult;
import io.capstan.apiserver.registry.Lister;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Serves /api and /apis resource requests: every verb of every kind, and the status and scale subresources. */
public final class ResourceHandler {

    private static final Set<String> SUBRESOURCE_VERBS = Set.of("get", "update", "patch");

    private final ResourceRegistry types;
    private final GenericRegistry registry;
    private final Lister lister;
    private final WatchStreamer watches;
    private final SchemaChecker schema = new SchemaChecker();

    public ResourceHandler(ResourceRegistry types, GenericRegistry registry, Duration bookmarkInterval) {
        this.types = types;
        this.registry = registry;
        this.lister = new Lister(registry.store());
        this.watches = new WatchStreamer(registry.store(), lister, bookmarkInterval);
    }

    public void handle(Exchange exchange, RequestInfo info) throws IOException, InterruptedException {
        ResourceType type = types.find(info.group(), info.version(), info.resource())
                .orElseThrow(StatusException::pathNotFound);
        if (!type.namespaced() && !info.namespace().isEmpty()) {
            throw StatusException.pathNotFound();
        }
        if (type.namespaced() && info.namespace().isEmpty() && !Set.of("list", "watch").contains(info.verb())) {
            throw StatusException.pathNotFound();
        }
        String sub = info.subresource();
        if (!sub.isEmpty() && (!type.subresources().contains(sub) || !(sub.equals("status") || sub.equals("scale")))) {
            throw StatusException.pathNotFound();
        }
        if (!sub.isEmpty() && !SUBRESOURCE_VERBS.contains(info.verb())) {
            throw StatusException.methodNotAllowed();
        }
        Renderer.Form form = Renderer.form(exchange.accept());
        String include = exchange.query("includeObject");
        String ns = info.namespace();
        String name = info.name();
        switch (info.verb()) {
            case "get" -> {
                ObjectNode obj = registry.get(type, ns, name);
                if (sub.equals("scale")) {
                    Responses.json(exchange, 200, ScaleView.of(obj));
                } else {
                    Responses.json(exchange, 200, Renderer.contentType(form, false), Renderer.single(type, obj, form, include));
                }
            }
            case "list" -> {
                ListResult result = lister.list(type, ns, listOptions(exchange, type));
                Responses.json(exchange, 200, Renderer.contentType(form, true), Renderer.list(type, result, form, include));
            }
            case "watch" -> watches.stream(exchange, type, ns, listOptions(exchange, type), form, include);
            case "create" -> create(exchange, type, ns);
            case "update" -> update(exchange, type, ns, name, sub);
            case "patch" -> patch(exchange, type, ns, name, sub);
            case "delete" -> {
                ObjectNode result = registry.delete(type, ns, name, DeleteOptionsDecoder.decode(exchange));
                boolean pending = Json.at(result, "metadata", "deletionTimestamp") != null
                        && registry.find(type, ns, name).isPresent();
                Responses.json(exchange, pending ? 202 : 200, result);
            }
            case "deletecollection" -> deleteCollection(exchange, type, ns);
            default -> throw StatusException.methodNotAllowed();
        }
    }

    private void create(Exchange exchange, ResourceType type, String ns) throws IOException {
        WriteOptions options = WriteOptions.from(exchange);
        ObjectNode obj = BodyDecoder.object(exchange.body(), exchange.contentType(), type);
        String bodyNs = Json.text(obj, "metadata", "namespace");
        if (type.namespaced() && bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
            throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        checkFields(exchange, type, obj, options);
        ObjectNode created = registry.create(type, ns, obj, options.dryRun());
        Responses.json(exchange, 201, created);
    }

    private void update(Exchange exchange, ResourceType type, String ns, String name, String sub) throws IOException {
        WriteOptions options = WriteOptions.from(exchange);
        ObjectNode result;
        if (sub.equals("scale")) {
            ObjectNode scale = BodyDecoder.object(exchange.body(), exchange.contentType(), scaleType());
            result = ScaleView.of(registry.patch(type, ns, name, "", obj -> ScaleView.apply(obj, scale), options.dryRun()));
        } else {
            ObjectNode obj = BodyDecoder.object(exchange.body(), exchange.contentType(), type);
            checkFields(exchange, type, obj, options);
            result = registry.update(type, ns, name, sub, obj, options.dryRun());
        }
        Responses.json(exchange, 200, result);
    }

    private void patch(Exchange exchange, ResourceType type, String ns, String name, String sub) throws IOException {
        WriteOptions options = WriteOptions.from(exchange);
        UnaryOperator<ObjectNode> patcher = patcher(exchange);
        ObjectNode result;
        if (sub.equals("scale")) {
            result = ScaleView.of(registry.patch(type, ns, name, "",
                    obj -> ScaleView.apply(obj, patcher.apply(ScaleView.of(obj))), options.dryRun()));
        } else {
            result = registry.patch(type, ns, name, sub, obj -> {
                ObjectNode next = patcher.apply(obj);
                BodyDecoder.checkKind(next, type);
                checkFields(exchange, type, next, options);
                return next;
            }, options.dryRun());
        }
        Responses.json(exchange, 200, result);
    }

    /** The patch function for the request's patch type. */
    private static UnaryOperator<ObjectNode> patcher(Exchange exchange) {
        String media = BodyDecoder.mediaType(exchange.contentType());
        byte[] body = exchange.body();
        return switch (media) {
            case "application/merge-patch+json" -> {
                JsonNode patch = BodyDecoder.patch(body, Json.MAPPER);
                yield obj -> Patches.mergePatch(obj, patch);
            }
            case "application/json-patch+json" -> {
                JsonNode patch = BodyDecoder.patch(body, Json.MAPPER);
                yield obj -> Patches.jsonPatch(obj, patch);
            }
            default -> throw StatusException.unsupportedMediaType(exchange.contentType());
        };
    }

    private void checkFields(Exchange exchange, ResourceType type, ObjectNode obj, WriteOptions options) {
        if (type.modelClass() == null) {
            return;
        }
        schema.checkTypes(type, obj);
        if (options.fieldValidation().equals("Ignore")) {
            return;
        }
        List<String> unknown = schema.unknownFields(type, obj);
        if (unknown.isEmpty()) {
            return;
        }
        if (options.fieldValidation().equals("Strict")) {
            throw StatusException.badRequest(SchemaChecker.strictMessage(type, unknown));
        }
        for (String field : unknown) {
            exchange.addHeader("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
        }
    }

    private void deleteCollection(Exchange exchange, ResourceType type, String ns) throws IOException {
        if (!type.verbs().contains("deletecollection")) {
            throw StatusException.methodNotAllowed();
        }
        var options = DeleteOptionsDecoder.decode(exchange);
        ListResult result = lister.list(type, ns, listOptions(exchange, type));
        for (ObjectNode obj : result.items()) {
            try {
                registry.delete(type, Json.text(obj, "metadata", "namespace"), Json.text(obj, "metadata", "name"), options);
            } catch (StatusException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        Responses.json(exchange, 200, Renderer.list(type, result, Renderer.Form.OBJECT, null));
    }

    static ListOptions listOptions(Exchange exchange, ResourceType type) {
        String limit = exchange.query("limit");
        long n = 0;
        if (limit != null && !limit.isEmpty()) {
            try {
                n = Math.max(0, Long.parseLong(limit));
            } catch (NumberFormatException e) {
                throw StatusException.badRequest("limit: Invalid value: \"" + limit + "\": must be an integer");
            }
        }
        return new ListOptions(LabelSelector.parse(exchange.query("labelSelector")),
                FieldSelector.parse(exchange.query("fieldSelector"), type),
                exchange.query("resourceVersion"), exchange.query("resourceVersionMatch"), n, exchange.query("continue"));
    }

    private ResourceType scaleType() {
        return new ResourceType("autoscaling", "v1", "Scale", "scale", "scale", true, List.of(), List.of(), Set.of(), null);
    }
}
