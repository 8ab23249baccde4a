package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.FieldSelector;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.Patches;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.SchemaChecker;
import io.capstan.api.StatusException;
import io.capstan.api.patch.StrategicMergePatch;
import io.capstan.api.schema.Shape;
import io.capstan.api.schema.Shapes;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.ValidatingAdmission;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.http.Responses;
import io.capstan.apiserver.metrics.ResourceMetrics;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.GenericRegistry.FieldTracker;
import io.capstan.apiserver.registry.PodBinding;
import io.capstan.apiserver.registry.PodEviction;
import io.capstan.apiserver.registry.TokenRequests;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.ListResult;
import io.capstan.apiserver.registry.Lister;
import io.capstan.apiserver.proxy.ProxySubresources;
import io.capstan.apiserver.streams.PodStreamProxy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Serves /api and /apis resource requests: every verb of every kind, and the status and scale subresources. */
public final class ResourceHandler {

    private static final Set<String> SUBRESOURCE_VERBS = Set.of("get", "update", "patch");
    private static final Set<String> SERVED_SUBRESOURCES = Set.of("status", "scale", "finalize", "binding", "eviction",
            "log", "exec", "attach", "portforward", "token", "proxy");
    /** The patch types kube-apiserver takes for built-in kinds and, without strategic merge patch, for custom ones. */
    private static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final List<String> PATCH_TYPES_BUILTIN = List.of("application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");
    private static final List<String> PATCH_TYPES_CUSTOM = List.of("application/json-patch+json",
            "application/merge-patch+json", "application/apply-patch+yaml");

    private final ResourceRegistry types;
    private final GenericRegistry registry;
    private final Lister lister;
    private final WatchStreamer watches;
    private final SchemaChecker schema = new SchemaChecker();
    private final PodBinding binding;
    private final PodEviction eviction;
    private final FieldTracking tracking = new FieldTracking(Clock.systemUTC());
    private final PodStreamProxy podStreams;
    private final WriteGuard guard;
    private final ResourceMetrics metrics;
    private volatile TokenRequests tokenRequests;
    private volatile ProxySubresources proxies;
    private volatile ValidatingAdmission admission = ValidatingAdmission.NONE;

    public ResourceHandler(ResourceRegistry types, GenericRegistry registry, Duration bookmarkInterval, WriteGuard guard,
                           PodStreamProxy podStreams, ResourceMetrics metrics) {
        this.podStreams = podStreams;
        this.metrics = metrics;
        this.types = types;
        this.guard = guard;
        this.registry = registry;
        this.lister = new Lister(registry.store());
        this.watches = new WatchStreamer(registry.store(), lister, bookmarkInterval);
        this.binding = new PodBinding(registry, types, Clock.systemUTC());
        this.eviction = new PodEviction(registry, types, Clock.systemUTC());
    }

    /** Serves serviceaccounts/NAME/token with these (without them the subresource is 404). */
    public void tokenRequests(TokenRequests tokenRequests) {
        this.tokenRequests = tokenRequests;
    }

    /** Serves pods|services|nodes/NAME/proxy with these (without them the subresource is 404). */
    public void proxies(ProxySubresources proxies) {
        this.proxies = proxies;
    }

    /** Validating admission for every create, update, patch and apply (set before serving). */
    public void admission(ValidatingAdmission admission) {
        this.admission = admission;
    }

    /**
     * The write's tracker followed by validating admission of the object it leaves: admission sees the final object,
     * after defaults, mutation and managedFields, as kube-apiserver's validating admission does. name is null on create.
     */
    private FieldTracker admitted(Exchange exchange, ResourceType type, String ns, String name, String sub, FieldTracker tracker) {
        ValidatingAdmission plugins = admission;
        AdmissionHeaders response = new AdmissionHeaders(exchange);
        String user = exchange.user() == null ? "" : exchange.user().name();
        return (live, next) -> {
            ObjectNode out = tracker.track(live, next);
            String objectName = name != null ? name : Json.text(out, "metadata", "name");
            plugins.validate(new AdmissionRequest(live == null ? AdmissionRequest.Operation.CREATE : AdmissionRequest.Operation.UPDATE,
                    type, ns, objectName == null ? "" : objectName, sub, out, live, user, response));
            return out;
        };
    }

    /** POST serviceaccounts/NAME/token: 201 with the TokenRequest and its token. */
    private void tokenRequest(Exchange exchange, RequestInfo info) throws IOException {
        TokenRequests requests = tokenRequests;
        if (requests == null) {
            throw StatusException.pathNotFound();
        }
        if (!info.verb().equals("create")) {
            throw StatusException.methodNotAllowed();
        }
        byte[] bytes = exchange.body();
        // kubectl create token sends protobuf
        JsonNode body = bytes.length == 0 ? Json.object() : BodyDecoder.anyObject(bytes, exchange.contentType());
        Responses.json(exchange, 201, requests.create(info.namespace(), info.name(), body));
    }

    /** POST pods/NAME/binding (the scheduler) or pods/NAME/eviction (kubectl drain): 201 with a Success Status. */
    private void podAction(Exchange exchange, RequestInfo info) throws IOException {
        if (!info.verb().equals("create")) {
            throw StatusException.methodNotAllowed();
        }
        byte[] bytes = exchange.body(); // the request stream can be read once
        JsonNode body = bytes.length == 0 ? Json.object() : BodyDecoder.parse(Json.MAPPER, bytes);
        if (info.subresource().equals("binding")) {
            binding.bind(info.namespace(), info.name(), body);
        } else {
            eviction.evict(info.namespace(), info.name(), body.path("metadata").path("name").asText(""),
                    DeleteOptionsDecoder.fromEviction(body.path("deleteOptions"), exchange));
        }
        Responses.json(exchange, 201, Json.object().put("kind", "Status").put("apiVersion", "v1")
                .<ObjectNode>set("metadata", Json.object()).put("status", "Success").put("code", 201));
    }

    public void handle(Exchange exchange, RequestInfo info) throws IOException, InterruptedException {
        ResourceType type = types.find(info.group(), info.version(), info.resource())
                .orElseThrow(StatusException::pathNotFound);
        if (!type.namespaced() && !info.namespace().isEmpty()) {
            throw StatusException.pathNotFound();
        }
        if (type.group().equals(ResourceType.METRICS_GROUP)) {
            metrics.handle(exchange, info); // read from the agents, never stored
            return;
        }
        if (type.namespaced() && info.namespace().isEmpty() && !Set.of("list", "watch").contains(info.verb())) {
            throw StatusException.pathNotFound();
        }
        String sub = info.subresource();
        if (!sub.isEmpty() && (!type.subresources().contains(sub) || !SERVED_SUBRESOURCES.contains(sub))) {
            throw StatusException.pathNotFound();
        }
        if (sub.equals("binding") || sub.equals("eviction")) {
            podAction(exchange, info);
            return;
        }
        if (sub.equals("token")) {
            tokenRequest(exchange, info);
            return;
        }
        if (sub.equals("proxy")) {
            ProxySubresources p = proxies;
            if (p == null) {
                throw StatusException.pathNotFound();
            }
            p.handle(exchange, info);
            return;
        }
        if (PodStreamProxy.SUBRESOURCES.contains(sub)) {
            podStreams.handle(exchange, info);
            return;
        }
        if (sub.equals("finalize") && !info.verb().equals("update")) {
            throw StatusException.methodNotAllowed();
        }
        if (!sub.isEmpty() && !SUBRESOURCE_VERBS.contains(info.verb())) {
            throw StatusException.methodNotAllowed();
        }
        Renderer.Form form = Renderer.form(exchange.accept());
        String include = Renderer.includeObject(form, exchange.query("includeObject"));
        String ns = info.namespace();
        String name = info.name();
        switch (info.verb()) {
            case "get" -> {
                ObjectNode obj = registry.get(type, ns, name);
                if (sub.equals("scale")) {
                    Responses.json(exchange, 200, Renderer.contentType(form, false), Renderer.scale(ScaleView.of(type, obj), form, include));
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
                var options = DeleteOptionsDecoder.decode(exchange);
                if (options.propagationPolicy() == null && type.qualifiedResource().equals("jobs.batch")) {
                    exchange.addHeader("Warning", "299 - \"child pods are preserved by default when jobs are deleted; "
                            + "set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning\"");
                }
                // 200 whether the object went at once or waits for finalizers, as kube-apiserver answers.
                Responses.json(exchange, 200, registry.delete(type, ns, name, options));
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
        guard.check(exchange, type, ns, obj);
        ObjectNode created = registry.create(type, ns, obj, options.dryRun(),
                admitted(exchange, type, ns, null, "", tracking.updates(exchange, type, "")));
        Responses.json(exchange, 201, created);
    }

    private void update(Exchange exchange, ResourceType type, String ns, String name, String sub) throws IOException {
        WriteOptions options = WriteOptions.from(exchange);
        ObjectNode result;
        if (sub.equals("scale")) {
            ObjectNode scale = BodyDecoder.object(exchange.body(), exchange.contentType(), scaleType());
            result = ScaleView.of(type, registry.patch(type, ns, name, "", obj -> ScaleView.apply(type, obj, scale), options.dryRun(),
                    admitted(exchange, type, ns, name, "scale", tracking.updates(exchange, type, "scale"))));
        } else {
            ObjectNode obj = BodyDecoder.object(exchange.body(), exchange.contentType(), type);
            checkFields(exchange, type, obj, options);
            guard.check(exchange, type, ns, obj);
            result = registry.update(type, ns, name, sub, obj, options.dryRun(),
                    admitted(exchange, type, ns, name, sub, tracking.updates(exchange, type, sub)));
        }
        Responses.json(exchange, 200, result);
    }

    private void patch(Exchange exchange, ResourceType type, String ns, String name, String sub) throws IOException {
        WriteOptions options = WriteOptions.from(exchange);
        if (BodyDecoder.mediaType(exchange.contentType()).equals(APPLY_PATCH)) {
            apply(exchange, type, ns, name, sub, options);
            return;
        }
        if (exchange.query("force") != null) {
            throw StatusException.invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", "",
                    List.of(FieldError.forbidden("force", "may not be specified for non-apply patch")));
        }
        UnaryOperator<ObjectNode> patcher = patcher(exchange, type);
        ObjectNode result;
        if (sub.equals("scale")) {
            result = ScaleView.of(type, registry.patch(type, ns, name, "",
                    obj -> ScaleView.apply(type, obj, patcher.apply(ScaleView.of(type, obj))), options.dryRun(),
                    admitted(exchange, type, ns, name, "scale", tracking.updates(exchange, type, "scale"))));
        } else {
            result = registry.patch(type, ns, name, sub, obj -> {
                ObjectNode next = patcher.apply(obj);
                BodyDecoder.checkKind(next, type);
                checkFields(exchange, type, next, options);
                guard.check(exchange, type, ns, next);
                return next;
            }, options.dryRun(), admitted(exchange, type, ns, name, sub, tracking.updates(exchange, type, sub)));
        }
        Responses.json(exchange, 200, result);
    }

    /** Server-side apply: merges the configuration into the object, creating it when missing. */
    private void apply(Exchange exchange, ResourceType type, String ns, String name, String sub, WriteOptions options)
            throws IOException {
        if (sub.equals("scale")) {
            throw StatusException.unsupportedPatchType(PATCH_TYPES_CUSTOM.subList(0, 2));
        }
        String manager = FieldTracking.applyManager(exchange);
        boolean force = exchange.queryFlag("force");
        JsonNode body = BodyDecoder.parse(Json.YAML, exchange.body());
        if (!(body instanceof ObjectNode config)) {
            throw StatusException.badRequest("error decoding patch: the applied configuration must be an object");
        }
        UnaryOperator<ObjectNode> applier = live -> {
            ObjectNode next = tracking.apply(type, sub, live, config, manager, force);
            BodyDecoder.checkKind(next, type);
            checkFields(exchange, type, next, options);
            guard.check(exchange, type, ns, next);
            return next;
        };
        for (int attempt = 0; ; attempt++) {
            try {
                Responses.json(exchange, 200, registry.patch(type, ns, name, sub, applier, options.dryRun(),
                        admitted(exchange, type, ns, name, sub, GenericRegistry.UNTRACKED)));
                return;
            } catch (StatusException e) {
                if (e.code() != 404 || !sub.isEmpty() || !type.plural().equals(e.kind()) || attempt > 0) {
                    throw e;
                }
            }
            ObjectNode obj = applier.apply(null);
            String bodyName = Json.text(obj, "metadata", "name");
            if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
                throw StatusException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
            }
            String bodyNs = Json.text(obj, "metadata", "namespace");
            if (type.namespaced() && bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
                throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            Json.with(obj, "metadata").put("name", name);
            try {
                Responses.json(exchange, 201, registry.create(type, ns, obj, options.dryRun(),
                        admitted(exchange, type, ns, null, "", GenericRegistry.UNTRACKED)));
                return;
            } catch (StatusException e) {
                if (e.code() != 409) {
                    throw e;
                }
                // Created concurrently: apply to what is there now.
            }
        }
    }

    /** The patch function for the request's patch type. */
    private static UnaryOperator<ObjectNode> patcher(Exchange exchange, ResourceType type) {
        String media = BodyDecoder.mediaType(exchange.contentType());
        byte[] body = exchange.body();
        boolean strategic = type.modelClass() != null;
        return switch (media) {
            case "application/merge-patch+json" -> {
                JsonNode patch = BodyDecoder.patch(body, Json.MAPPER);
                yield obj -> Patches.mergePatch(obj, patch);
            }
            case "application/json-patch+json" -> {
                JsonNode patch = BodyDecoder.patch(body, Json.MAPPER);
                yield obj -> Patches.jsonPatch(obj, patch);
            }
            case "application/strategic-merge-patch+json" -> {
                if (!strategic) {
                    throw StatusException.unsupportedPatchType(PATCH_TYPES_CUSTOM);
                }
                JsonNode patch = BodyDecoder.patch(body, Json.MAPPER);
                Shape shape = Shapes.BUILTIN.of(type);
                yield obj -> StrategicMergePatch.apply(obj, patch, shape);
            }
            default -> throw StatusException.unsupportedPatchType(strategic ? PATCH_TYPES_BUILTIN : PATCH_TYPES_CUSTOM);
        };
    }

    private void checkFields(Exchange exchange, ResourceType type, ObjectNode obj, WriteOptions options) {
        if (type.modelClass() == null && type.custom() == null) {
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
