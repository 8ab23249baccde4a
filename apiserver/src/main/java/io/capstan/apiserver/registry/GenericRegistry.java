package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Defaults;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.api.validation.ObjectValidator;
import io.capstan.apiserver.admission.limitranger.LimitRanger;
import io.capstan.apiserver.registry.service.ServiceAllocator;
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
    private final java.util.Map<String, Object> createLocks = new java.util.concurrent.ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile long notReadyTolerationSeconds = 300;
    private volatile long unreachableTolerationSeconds = 300;
    private volatile boolean serviceAccountAdmission;
    private volatile ServiceAllocator services;

    public GenericRegistry(Store store, ResourceRegistry types, Clock clock) {
        this.store = store;
        this.types = types;
        this.clock = clock;
        serviceAllocator(ServiceAllocator.defaults());
    }

    /** Allocates Services' cluster IPs and node ports from these ranges, taking what the stored Services hold. */
    public void serviceAllocator(ServiceAllocator allocator) {
        allocator.recover(store.range(Keys.prefix(Kinds.SERVICES, ""), null, 0, 0).items().stream().map(ObjectCodec::decode).toList());
        this.services = allocator;
    }

    public ServiceAllocator serviceAllocator() {
        return services;
    }

    public Store store() {
        return store;
    }

    /** The tolerationSeconds that DefaultTolerationSeconds admission gives new pods for not-ready and unreachable nodes. */
    public void defaultTolerationSeconds(long notReady, long unreachable) {
        this.notReadyTolerationSeconds = notReady;
        this.unreachableTolerationSeconds = unreachable;
    }

    /** Turns on ServiceAccount admission for new pods (once the server signs service account tokens). */
    public void serviceAccountAdmission(boolean on) {
        this.serviceAccountAdmission = on;
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return find(type, namespace, name).orElseThrow(() -> StatusException.notFound(type, name));
    }

    /** Every stored object of type in namespace ("" for all or cluster-scoped), read directly from the store. */
    public List<ObjectNode> list(ResourceType type, String namespace) {
        return store.range(Keys.prefix(type, namespace), null, 0, 0).items().stream().map(ObjectCodec::decode).toList();
    }

    public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        return store.get(Keys.key(type, namespace, name)).map(ObjectCodec::decode);
    }

    /**
     * Records who changed which fields (metadata.managedFields) once a write's final object is known:
     * given the stored object (null on create) and the one about to be stored, returns what to store.
     */
    public interface FieldTracker {
        ObjectNode track(ObjectNode live, ObjectNode next);
    }

    /** Writes that leave managedFields as they are. */
    public static final FieldTracker UNTRACKED = (live, next) -> next;

    public ObjectNode create(ResourceType type, String namespace, ObjectNode obj, boolean dryRun) {
        return create(type, namespace, obj, dryRun, UNTRACKED);
    }

    public ObjectNode create(ResourceType type, String namespace, ObjectNode obj, boolean dryRun, FieldTracker tracker) {
        ObjectNode meta = Json.with(obj, "metadata");
        if (meta.hasNonNull("resourceVersion") && !meta.get("resourceVersion").asText().isEmpty()) {
            throw StatusException.badRequest("resourceVersion should not be set on objects to be created");
        }
        requireNamespace(type, namespace, Json.text(meta, "name"));
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
        if (type.qualifiedResource().equals("pods")) {
            DefaultTolerations.apply(obj, notReadyTolerationSeconds, unreachableTolerationSeconds);
            PodPriority.admit(obj, store);
            LimitRanger.defaults(obj, list(Kinds.LIMIT_RANGES, namespace));
            if (serviceAccountAdmission) {
                ServiceAccountAdmission.admit(obj, store, random);
            }
        } else if (type.qualifiedResource().equals("jobs.batch")) {
            JobSelector.generateIfNeeded(obj);
        } else if (type.qualifiedResource().equals("persistentvolumeclaims")) {
            DefaultStorageClass.admit(obj, store);
            StorageInUseProtection.admit(obj, PersistentVolumes.PVC_PROTECTION);
        } else if (type.qualifiedResource().equals("persistentvolumes")) {
            StorageInUseProtection.admit(obj, PersistentVolumes.PV_PROTECTION);
        }
        KindRules.prepareStatusForCreate(type, obj);
        invalidIfAny(type, name, validator.validateCreate(type, obj));
        // Admission and the write hold the namespace's lock: quota admission counts the stored objects, so two creates
        // must not both be admitted against the same count.
        synchronized (createLocks.computeIfAbsent(namespace == null ? "" : namespace, k -> new Object())) {
            return admitAndStore(type, namespace, name, obj, dryRun, tracker);
        }
    }

    private ObjectNode admitAndStore(ResourceType type, String namespace, String name, ObjectNode obj, boolean dryRun, FieldTracker tracker) {
        obj = tracker.track(null, obj); // after validation: a tracker may run validating admission, which comes after it
        ServiceAllocator.Allocation allocation = isService(type) ? services.create(obj) : null;
        if (dryRun) {
            rollback(allocation);
            return obj;
        }
        try {
            KeyValue kv = store.create(Keys.key(type, namespace, name), ObjectCodec.encode(obj));
            commit(allocation);
            return ObjectCodec.decode(kv);
        } catch (KeyExistsException e) {
            rollback(allocation);
            throw StatusException.alreadyExists(type, name);
        } catch (RuntimeException e) {
            rollback(allocation);
            throw e;
        }
    }

    private static boolean isService(ResourceType type) {
        return type.qualifiedResource().equals("services");
    }

    private static void commit(ServiceAllocator.Allocation allocation) {
        if (allocation != null) {
            allocation.commit();
        }
    }

    private static void rollback(ServiceAllocator.Allocation allocation) {
        if (allocation != null) {
            allocation.rollback();
        }
    }

    /** An object left the store: what it held is free again. */
    private void removed(ResourceType type, ObjectNode obj) {
        if (isService(type)) {
            services.release(obj);
        }
    }

    /** PUT of the object or of its status subresource. */
    public ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode obj, boolean dryRun) {
        return update(type, namespace, name, subresource, obj, dryRun, UNTRACKED);
    }

    public ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode obj, boolean dryRun,
                             FieldTracker tracker) {
        checkIdentity(type, namespace, name, obj);
        String expected = Json.text(obj, "metadata", "resourceVersion");
        return write(type, namespace, name, subresource, dryRun, tracker, old -> {
            if (expected != null && !expected.isEmpty() && !expected.equals(Json.text(old, "metadata", "resourceVersion"))) {
                throw StatusException.staleWrite(type, name);
            }
            return obj.deepCopy();
        });
    }

    /** A patch: {@code patcher} turns the current object into the wanted one; retried when a concurrent write wins. */
    public ObjectNode patch(ResourceType type, String namespace, String name, String subresource,
                            UnaryOperator<ObjectNode> patcher, boolean dryRun) {
        return patch(type, namespace, name, subresource, patcher, dryRun, UNTRACKED);
    }

    public ObjectNode patch(ResourceType type, String namespace, String name, String subresource,
                            UnaryOperator<ObjectNode> patcher, boolean dryRun, FieldTracker tracker) {
        return write(type, namespace, name, subresource, dryRun, tracker, old -> {
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
                             FieldTracker tracker, UnaryOperator<ObjectNode> change) {
        String key = Keys.key(type, namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue current = store.get(key).orElseThrow(() -> StatusException.notFound(type, name));
            ObjectNode old = ObjectCodec.decode(current);
            ObjectNode next = tracker.track(old, merge(type, subresource, old, change.apply(old)));
            ServiceAllocator.Allocation allocation = isService(type) && subresource.isEmpty() ? services.update(old, next) : null;
            if (next.equals(old) || dryRun) {
                rollback(allocation);
                return next.equals(old) ? old : next; // a no-op write keeps the resourceVersion, as Kubernetes does
            }
            try {
                if (readyToGo(type, next)) {
                    KeyValue gone = store.delete(key, current.modRevision());
                    rollback(allocation);
                    removed(type, old);
                    ObjectNode last = next.deepCopy();
                    Json.with(last, "metadata").put("resourceVersion", Long.toString(gone.modRevision()));
                    return last;
                }
                ObjectNode stored = ObjectCodec.decode(store.update(key, ObjectCodec.encode(next), current.modRevision()));
                commit(allocation);
                return stored;
            } catch (ConflictException | KeyNotFoundException e) {
                // Someone wrote in between: read again and re-apply the change.
                rollback(allocation);
            } catch (RuntimeException e) {
                rollback(allocation);
                throw e;
            }
        }
        throw StatusException.staleWrite(type, name);
    }

    /** The stored object after a write: what the caller may change of it, with system fields kept. */
    private ObjectNode merge(ResourceType type, String subresource, ObjectNode old, ObjectNode wanted) {
        ObjectNode next;
        ObjectNode before = old;
        if (subresource.equals("binding")) {
            // PodBinding changed only spec.nodeName and the PodScheduled condition.
            next = wanted;
            before = old.deepCopy();
            Json.with(before, "spec").set("nodeName", Json.at(wanted, "spec", "nodeName"));
        } else if (subresource.equals("finalize")) {
            next = old.deepCopy();
            copyFinalizers(wanted, next);
        } else if (subresource.equals("status")) {
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
            if (type.qualifiedResource().equals("namespaces")) {
                // spec.finalizers belong to the namespace controller and change only through finalize.
                copyFinalizers(old, next);
            }
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
        invalidIfAny(type, meta.path("name").asText(), validator.validateUpdate(type, next, before));
        return next;
    }

    private static void copyFinalizers(ObjectNode from, ObjectNode to) {
        JsonNode finalizers = Json.at(from, "spec", "finalizers");
        if (finalizers == null) {
            Json.with(to, "spec").remove("finalizers");
        } else {
            Json.with(to, "spec").set("finalizers", finalizers.deepCopy());
        }
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
                removed(type, old);
                Json.with(old, "metadata").put("resourceVersion", Long.toString(gone.modRevision()));
                return old;
            } catch (ConflictException | KeyNotFoundException e) {
                // Changed under us: decide again on the newest version.
            }
        }
        throw StatusException.staleWrite(type, name);
    }

    /**
     * The object marked as terminating when it cannot go at once (finalizers, the garbage
     * collector's among them, or a pod its kubelet must stop); else null.
     */
    private ObjectNode gracefulDeletion(ResourceType type, ObjectNode old, DeleteOptions options) {
        List<String> finalizers = GcFinalizers.forDelete(type, options.propagationPolicy(), finalizers(old));
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
        if (finalizers.isEmpty() && grace <= 0 && namespaceFinalizers(type, old).isEmpty()) {
            return null;
        }
        ObjectNode next = old.deepCopy();
        ObjectNode meta = Json.with(next, "metadata");
        if (finalizers.isEmpty()) {
            meta.remove("finalizers");
        } else {
            ArrayNode list = meta.putArray("finalizers");
            finalizers.forEach(list::add);
        }
        Instant deadline = clock.instant().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS);
        JsonNode existing = meta.get("deletionTimestamp");
        if (existing == null || Instant.parse(existing.asText()).isAfter(deadline)) {
            meta.put("deletionTimestamp", deadline.toString());
            meta.put("deletionGracePeriodSeconds", grace);
        }
        if (KindRules.tracksGeneration(type) && existing == null) {
            meta.put("generation", meta.path("generation").asLong(1) + 1);
        }
        if (type.qualifiedResource().equals("namespaces")) {
            Json.with(next, "status").put("phase", "Terminating");
        }
        return next;
    }

    /** A namespace's spec.finalizers: the namespace controller's, removed through the finalize subresource. */
    private static List<String> namespaceFinalizers(ResourceType type, ObjectNode obj) {
        if (!type.qualifiedResource().equals("namespaces")) {
            return List.of();
        }
        JsonNode f = Json.at(obj, "spec", "finalizers");
        return f == null || !f.isArray() ? List.of()
                : java.util.stream.StreamSupport.stream(f.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Whether a terminating object has nothing left to wait for. */
    private static boolean readyToGo(ResourceType type, ObjectNode obj) {
        return Json.at(obj, "metadata", "deletionTimestamp") != null && finalizers(obj).isEmpty()
                && namespaceFinalizers(type, obj).isEmpty();
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

    private void requireNamespace(ResourceType type, String namespace, String name) {
        if (!type.namespaced()) {
            return;
        }
        ResourceType namespaces = types.find("", "v1", "namespaces").orElseThrow();
        KeyValue ns = store.get(Keys.key(namespaces, "", namespace))
                .orElseThrow(() -> StatusException.notFound("", "namespaces", namespace));
        if (Json.at(ObjectCodec.decode(ns), "metadata", "deletionTimestamp") != null) {
            throw StatusException.namespaceTerminating(type, name, namespace);
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
