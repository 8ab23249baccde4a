package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Defaults;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.api.validation.ObjectValidator;
import io.capstan.store.ConflictException;
import io.capstan.store.KeyExistsException;
import io.capstan.store.KeyNotFoundException;
import io.capstan.store.KeyValue;
import io.capstan.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Create, update, patch and delete of any kind over the Store: the one place where system
 * metadata, defaults, validation, status ownership and compare-and-swap come together.
 */
public final class GenericRegistry {

    /** Namespaces Kubernetes refuses to delete. */
    private static final Set<String> PROTECTED_NAMESPACES = Set.of("default", "kube-system", "kube-public");
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int MAX_RETRIES = 16;

    private final Store store;
    private final ResourceRegistry types;
    private final ObjectValidator validator = new ObjectValidator();
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public GenericRegistry(Store store, ResourceRegistry types, Clock clock) {
        this.store = store;
        this.types = types;
        this.clock = clock;
    }

    public Store store() {
        return store;
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return find(type, namespace, name).orElseThrow(() -> StatusException.notFound(type, name));
    }

    public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        return store.get(Keys.key(type, namespace, name)).map(ObjectCodec::decode);
    }

    public ObjectNode create(ResourceType type, String namespace, ObjectNode obj, boolean dryRun) {
        ObjectNode meta = Json.with(obj, "metadata");
        if (meta.hasNonNull("resourceVersion") && !meta.get("resourceVersion").asText().isEmpty()) {
            throw StatusException.badRequest("resourceVersion should not be set on objects to be created");
        }
        requireNamespace(type, namespace);
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        if (type.namespaced()) {
            meta.put("namespace", namespace);
        } else {
            meta.remove("namespace");
        }
        String name = Json.text(meta, "name");
        String generateName = Json.text(meta, "generateName");
        if ((name == null || name.isEmpty()) && generateName != null && !generateName.isEmpty()) {
            name = generateName + randomSuffix();
            meta.put("name", name);
        }
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", now());
        meta.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        if (KindRules.tracksGeneration(type)) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        Defaults.apply(type, obj);
        KindRules.prepareStatusForCreate(type, obj);
        invalidIfAny(type, name, validator.validateCreate(type, obj));
        if (dryRun) {
            return obj;
        }
        try {
            KeyValue kv = store.create(Keys.key(type, namespace, name), ObjectCodec.encode(obj));
            return ObjectCodec.decode(kv);
        } catch (KeyExistsException e) {
            throw StatusException.alreadyExists(type, name);
        }
    }

    /** PUT of the object or of its status subresource. */
    public ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode obj, boolean dryRun) {
        checkIdentity(type, namespace, name, obj);
        String expected = Json.text(obj, "metadata", "resourceVersion");
        return write(type, namespace, name, subresource, dryRun, old -> {
            if (expected != null && !expected.isEmpty() && !expected.equals(Json.text(old, "metadata", "resourceVersion"))) {
                throw StatusException.staleWrite(type, name);
            }
            return obj.deepCopy();
        });
    }

    /** A patch: {@code patcher} turns the current object into the wanted one; retried when a concurrent write wins. */
    public ObjectNode patch(ResourceType type, String namespace, String name, String subresource,
                            UnaryOperator<ObjectNode> patcher, boolean dryRun) {
        return write(type, namespace, name, subresource, dryRun, old -> {
            ObjectNode next = patcher.apply(old.deepCopy());
            checkIdentity(type, namespace, name, next);
            String rv = Json.text(next, "metadata", "resourceVersion");
            if (rv != null && !rv.isEmpty() && !rv.equals(Json.text(old, "metadata", "resourceVersion"))) {
                throw StatusException.staleWrite(type, name);
            }
            return next;
        });
    }

    private ObjectNode write(ResourceType type, String namespace, String name, String subresource, boolean dryRun,
                             UnaryOperator<ObjectNode> change) {
        String key = Keys.key(type, namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue current = store.get(key).orElseThrow(() -> StatusException.notFound(type, name));
            ObjectNode old = ObjectCodec.decode(current);
            ObjectNode next = merge(type, subresource, old, change.apply(old));
            if (next.equals(old)) {
                return old; // a no-op write keeps the resourceVersion, as Kubernetes does
            }
            if (dryRun) {
                return next;
            }
            try {
                if (Json.at(next, "metadata", "deletionTimestamp") != null && finalizers(next).isEmpty()) {
                    KeyValue gone = store.delete(key, current.modRevision());
                    deleteContents(type, name);
                    ObjectNode last = next.deepCopy();
                    Json.with(last, "metadata").put("resourceVersion", Long.toString(gone.modRevision()));
                    return last;
                }
                return ObjectCodec.decode(store.update(key, ObjectCodec.encode(next), current.modRevision()));
            } catch (ConflictException | KeyNotFoundException e) {
                // Someone wrote in between: read again and re-apply the change.
            }
        }
        throw StatusException.staleWrite(type, name);
    }

    /** The stored object after a write: what the caller may change of it, with system fields kept. */
    private ObjectNode merge(ResourceType type, String subresource, ObjectNode old, ObjectNode wanted) {
        ObjectNode next;
        if (subresource.equals("status")) {
            next = old.deepCopy();
            JsonNode status = wanted.get("status");
            if (status == null) {
                next.remove("status");
            } else {
                next.set("status", status.deepCopy());
            }
            // Status writers may still touch labels and annotations, as Kubernetes allows.
            copyIfPresent(wanted, next, "labels");
            copyIfPresent(wanted, next, "annotations");
        } else {
            next = wanted;
            if (type.hasStatus()) {
                JsonNode status = old.get("status");
                if (status == null) {
                    next.remove("status");
                } else {
                    next.set("status", status.deepCopy());
                }
            }
            next.put("apiVersion", type.apiVersion()).put("kind", type.kind());
            KindRules.keepAllocatedValues(type, next, old);
            Defaults.apply(type, next);
        }
        ObjectNode meta = Json.with(next, "metadata");
        ObjectNode oldMeta = Json.with(old, "metadata");
        for (String f : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds", "generation", "resourceVersion")) {
            if (oldMeta.has(f)) {
                meta.set(f, oldMeta.get(f).deepCopy());
            } else {
                meta.remove(f);
            }
        }
        if (Json.at(old, "metadata", "deletionTimestamp") != null) {
            // While terminating, finalizers may only be removed.
            List<String> kept = finalizers(next).stream().filter(finalizers(old)::contains).toList();
            if (kept.size() != finalizers(next).size()) {
                throw StatusException.forbidden("no new finalizers can be added if the object is being deleted");
            }
        }
        if (KindRules.tracksGeneration(type) && KindRules.specChanged(next, old)) {
            meta.put("generation", oldMeta.path("generation").asLong(1) + 1);
        }
        invalidIfAny(type, meta.path("name").asText(), validator.validateUpdate(type, next, old));
        return next;
    }

    private static void copyIfPresent(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = Json.at(from, "metadata", field);
        if (value != null) {
            Json.with(to, "metadata").set(field, value.deepCopy());
        }
    }

    public ObjectNode delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        String key = Keys.key(type, namespace, name);
        if (type.qualifiedResource().equals("namespaces") && PROTECTED_NAMESPACES.contains(name)) {
            throw StatusException.forbidden("namespaces " + FieldError.quote(name) + " is forbidden: this namespace may not be deleted");
        }
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue current = store.get(key).orElseThrow(() -> StatusException.notFound(type, name));
            ObjectNode old = ObjectCodec.decode(current);
            checkPreconditions(type, name, old, options);
            ObjectNode terminating = gracefulDeletion(type, old, options);
            try {
                if (terminating != null) {
                    if (options.dryRun() || terminating.equals(old)) {
                        return terminating;
                    }
                    return ObjectCodec.decode(store.update(key, ObjectCodec.encode(terminating), current.modRevision()));
                }
                if (options.dryRun()) {
                    return old;
                }
                KeyValue gone = store.delete(key, current.modRevision());
                deleteContents(type, name);
                Json.with(old, "metadata").put("resourceVersion", Long.toString(gone.modRevision()));
                return old;
            } catch (ConflictException | KeyNotFoundException e) {
                // Changed under us: decide again on the newest version.
            }
        }
        throw StatusException.staleWrite(type, name);
    }

    /** The object marked as terminating when it cannot go at once (finalizers, or a pod its kubelet must stop); else null. */
    private ObjectNode gracefulDeletion(ResourceType type, ObjectNode old, DeleteOptions options) {
        boolean hasFinalizers = !finalizers(old).isEmpty();
        long grace = 0;
        if (type.qualifiedResource().equals("pods") && Json.text(old, "spec", "nodeName") != null) {
            String phase = Json.text(old, "status", "phase");
            boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
            grace = options.gracePeriodSeconds() != null ? options.gracePeriodSeconds()
                    : Json.at(old, "spec", "terminationGracePeriodSeconds") != null
                    ? Json.at(old, "spec", "terminationGracePeriodSeconds").asLong() : 30;
            if (finished) {
                grace = 0;
            }
        }
        if (!hasFinalizers && grace <= 0) {
            return null;
        }
        ObjectNode next = old.deepCopy();
        ObjectNode meta = Json.with(next, "metadata");
        Instant deadline = clock.instant().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS);
        JsonNode existing = meta.get("deletionTimestamp");
        if (existing == null || Instant.parse(existing.asText()).isAfter(deadline)) {
            meta.put("deletionTimestamp", deadline.toString());
            meta.put("deletionGracePeriodSeconds", grace);
        }
        if (KindRules.tracksGeneration(type) && existing == null) {
            meta.put("generation", meta.path("generation").asLong(1) + 1);
        }
        return next;
    }

    private static void checkPreconditions(ResourceType type, String name, ObjectNode old, DeleteOptions options) {
        String uid = Json.text(old, "metadata", "uid");
        if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
            throw StatusException.conflict(type, name, "Precondition failed: UID in precondition: "
                    + options.preconditionUid() + ", UID in object meta: " + uid);
        }
        String rv = Json.text(old, "metadata", "resourceVersion");
        if (options.preconditionResourceVersion() != null && !options.preconditionResourceVersion().equals(rv)) {
            throw StatusException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
                    + options.preconditionResourceVersion() + ", ResourceVersion in object meta: " + rv);
        }
    }

    /** A deleted namespace takes what lives in it. (The namespace lifecycle with Terminating comes with the controllers.) */
    private void deleteContents(ResourceType type, String name) {
        if (!type.qualifiedResource().equals("namespaces")) {
            return;
        }
        for (ResourceType t : types.all()) {
            if (t.namespaced()) {
                for (KeyValue kv : store.range(Keys.prefix(t, name), null, 0, 0).items()) {
                    try {
                        store.delete(kv.key(), 0);
                    } catch (KeyNotFoundException e) {
                        // already gone
                    }
                }
            }
        }
    }

    private void requireNamespace(ResourceType type, String namespace) {
        if (!type.namespaced()) {
            return;
        }
        ResourceType namespaces = types.find("", "v1", "namespaces").orElseThrow();
        if (store.get(Keys.key(namespaces, "", namespace)).isEmpty()) {
            throw StatusException.notFound("", "namespaces", namespace);
        }
    }

    private static void checkIdentity(ResourceType type, String namespace, String name, ObjectNode obj) {
        String bodyName = Json.text(obj, "metadata", "name");
        if (bodyName == null || bodyName.isEmpty()) {
            Json.with(obj, "metadata").put("name", name);
        } else if (!bodyName.equals(name)) {
            throw StatusException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }
        if (type.namespaced()) {
            String bodyNs = Json.text(obj, "metadata", "namespace");
            if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
                throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            Json.with(obj, "metadata").put("namespace", namespace);
        }
    }

    static List<String> finalizers(ObjectNode obj) {
        JsonNode f = Json.at(obj, "metadata", "finalizers");
        if (f == null || !f.isArray()) {
            return List.of();
        }
        return java.util.stream.StreamSupport.stream(f.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static void invalidIfAny(ResourceType type, String name, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw StatusException.invalid(type, name, errors);
        }
    }

    private String randomSuffix() {
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return s.toString();
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
