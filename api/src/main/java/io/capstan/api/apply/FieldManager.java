package io.capstan.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.api.apply.ManagedFields.Entry;
import io.capstan.api.apply.ManagedFields.Manager;
import io.capstan.api.schema.Shape;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field ownership as kube-apiserver keeps it in metadata.managedFields: every write records who
 * changed which fields (operation Update), and server-side apply (operation Apply) merges a
 * configuration, refuses to take fields other managers own unless forced, and removes the fields
 * its manager applied before and applies no longer.
 */
public final class FieldManager {

    /** The manager kubectl's server-side apply uses by default, whose client-side apply history it may take over. */
    private static final String KUBECTL = "kubectl";
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** Owns what existed before the first apply of an object whose fields were not tracked. */
    private static final String BEFORE_FIRST_APPLY = "before-first-apply";
    private static final int MAX_UPDATE_MANAGERS = 10;

    /** Fields no manager owns: type and identity, and what the server alone sets. */
    private static final FieldSet SERVER_FIELDS = FieldSet.of(List.of(
            List.of(PathElement.field("apiVersion")), List.of(PathElement.field("kind")),
            List.of(PathElement.field("metadata")),
            meta("name"), meta("namespace"), meta("creationTimestamp"), meta("selfLink"), meta("uid"),
            meta("clusterName"), meta("generation"), meta("managedFields"), meta("resourceVersion")));

    private final Shape shape;
    private final String apiVersion;
    private final String subresource;
    private final boolean statusApart;

    /**
     * @param shape the shape of the kind's objects
     * @param apiVersion the version written, e.g. apps/v1
     * @param subresource "" or "status"
     * @param statusApart whether the kind has a status subresource (then the main resource owns no status and status no spec)
     */
    public FieldManager(Shape shape, String apiVersion, String subresource, boolean statusApart) {
        this.shape = shape;
        this.apiVersion = apiVersion;
        this.subresource = subresource;
        this.statusApart = statusApart;
    }

    private static List<PathElement> meta(String field) {
        return List.of(PathElement.field("metadata"), PathElement.field(field));
    }

    /**
     * Records a create ({@code live} null), update or patch by {@code manager}: the fields it changed
     * become its own and no longer anyone else's. Objects whose fields were never tracked stay so.
     */
    public ObjectNode update(ObjectNode live, ObjectNode next, String manager, Instant now) {
        Map<Manager, Entry> managed = managedForUpdate(live, next);
        ObjectNode out = next.deepCopy();
        Json.with(out, "metadata").remove("managedFields");
        if (managed.isEmpty() && live != null) {
            return out;
        }
        Manager self = new Manager(manager.isEmpty() ? "unknown" : manager, false, apiVersion, subresource);
        recordUpdate(live == null ? Json.object() : live, out, managed, self, time(now));
        capUpdaters(managed);
        ManagedFields.encode(out, managed);
        return out;
    }

    private Map<Manager, Entry> managedForUpdate(ObjectNode live, ObjectNode next) {
        JsonNode sent = Json.at(next, "metadata", "managedFields");
        if (subresource.isEmpty() && sent != null) {
            if (sent.isArray() && (sent.isEmpty() || (sent.size() == 1 && sent.get(0).isEmpty()))) {
                return new LinkedHashMap<>(); // the client resets managedFields
            }
            try {
                Map<Manager, Entry> m = ManagedFields.decode(next);
                if (!m.isEmpty()) {
                    return m;
                }
            } catch (RuntimeException e) {
                // fall back to the live object's, as kube-apiserver does
            }
        }
        try {
            return live == null ? new LinkedHashMap<>() : ManagedFields.decode(live);
        } catch (RuntimeException e) {
            return new LinkedHashMap<>();
        }
    }

    /** The fields {@code self} changed from {@code live} to {@code next} become its own. */
    private void recordUpdate(ObjectNode live, ObjectNode next, Map<Manager, Entry> managed, Manager self, String time) {
        TypedValues.Comparison c = compare(live, next);
        for (Map.Entry<Manager, Entry> e : managed.entrySet()) {
            FieldSet kept = e.getValue().fields().difference(c.changed()).difference(c.removed());
            e.setValue(new Entry(kept, e.getValue().apiVersion(), e.getValue().time()));
        }
        managed.values().removeIf(e -> e.fields().isEmpty());
        FieldSet changed = filter(c.changed()).difference(SERVER_FIELDS);
        if (!changed.isEmpty()) {
            Entry previous = managed.get(self);
            FieldSet fields = previous == null ? changed : changed.union(previous.fields());
            managed.put(self, new Entry(fields, apiVersion, time));
        }
    }

    /**
     * Server-side apply of {@code config} by {@code manager} to {@code live} (null when the object does
     * not exist yet). Returns the new object with its managedFields; throws 409 on conflicts unless forced.
     */
    public ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force, Instant now) {
        if (Json.at(config, "metadata", "managedFields") != null) {
            throw StatusException.badRequest("metadata.managedFields must be nil");
        }
        String version = config.path("apiVersion").asText("");
        if (!version.equals(apiVersion)) {
            throw StatusException.badRequest("Incorrect version specified in apply patch. Specified patch version: "
                    + version + ", expected: " + apiVersion);
        }
        ObjectNode current = live == null ? Json.object() : live.deepCopy();
        Map<Manager, Entry> managed;
        try {
            managed = ManagedFields.decode(current);
        } catch (RuntimeException e) {
            throw StatusException.internal("failed to decode managed fields: " + e.getMessage());
        }
        Json.with(current, "metadata").remove("managedFields");
        String time = time(now);
        if (managed.isEmpty() && live != null) {
            recordUpdate(Json.object(), current, managed, new Manager(BEFORE_FIRST_APPLY, false, apiVersion, subresource), time);
        }
        Manager self = new Manager(manager, true, "", subresource);
        Map<Manager, Entry> before = copy(managed);
        ObjectNode merged;
        try {
            merged = applyOnce(current, config, managed, self, force);
        } catch (ApplyConflict conflict) {
            if (!manager.equals(KUBECTL) || !conflict.onlyWithin(allowedByLastApplied(current))) {
                throw conflict.toStatus();
            }
            managed = before;
            merged = applyOnce(current, config, managed, self, true);
        }
        Entry mine = managed.get(self);
        FieldSet fields = mine.fields().difference(SERVER_FIELDS);
        boolean changed = !Values.equal(withoutManaged(merged), current);
        Entry previous = before.get(self);
        String stamp = changed || previous == null ? time : previous.time();
        if (fields.isEmpty()) {
            managed.remove(self);
        } else {
            managed.put(self, new Entry(fields, apiVersion, stamp));
        }
        if (manager.equals(KUBECTL) && lastApplied(merged) != null) {
            ObjectNode applied = config.deepCopy();
            JsonNode annotations = Json.at(applied, "metadata", "annotations");
            if (annotations instanceof ObjectNode a) {
                a.remove(LAST_APPLIED);
            }
            Json.with(merged, "metadata", "annotations").put(LAST_APPLIED, Json.string(applied));
        }
        ManagedFields.encode(merged, managed);
        return merged;
    }

    private ObjectNode applyOnce(ObjectNode live, ObjectNode config, Map<Manager, Entry> managed, Manager self, boolean force) {
        ObjectNode merged = (ObjectNode) TypedValues.merge(live, config, shape);
        Entry last = managed.get(self);
        FieldSet applied = filter(TypedValues.fieldsOf(config, shape));
        managed.put(self, new Entry(applied, apiVersion, null));
        if (last != null) {
            merged = prune(merged, managed, last.fields());
        }
        TypedValues.Comparison c = compare(live, merged);
        Map<Manager, FieldSet> conflicts = new LinkedHashMap<>();
        for (Map.Entry<Manager, Entry> e : managed.entrySet()) {
            if (!e.getKey().equals(self)) {
                FieldSet taken = e.getValue().fields().intersection(c.changed());
                if (!taken.isEmpty()) {
                    conflicts.put(e.getKey(), taken);
                }
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw new ApplyConflict(conflicts);
        }
        for (Map.Entry<Manager, Entry> e : managed.entrySet()) {
            if (!e.getKey().equals(self)) {
                FieldSet kept = e.getValue().fields().difference(c.changed()).difference(c.removed());
                e.setValue(new Entry(kept, e.getValue().apiVersion(), e.getValue().time()));
            }
        }
        managed.entrySet().removeIf(e -> !e.getKey().equals(self) && e.getValue().fields().isEmpty());
        return merged;
    }

    /** Removes what the applier applied last time, applies no longer, and no one else owns. */
    private ObjectNode prune(ObjectNode merged, Map<Manager, Entry> managed, FieldSet last) {
        FieldSet owned = new FieldSet();
        for (Entry e : managed.values()) {
            owned = owned.union(e.fields());
        }
        FieldSet gone = last.withNamedFieldsAsMembers(shape).difference(owned.withNamedFieldsAsMembers(shape));
        JsonNode pruned = TypedValues.remove(merged, gone, shape);
        return pruned == null ? Json.object() : (ObjectNode) pruned;
    }

    /**
     * The fields a client-side apply history lets "kubectl" take without conflict: those in the
     * last-applied annotation whose value is still what the live object has.
     */
    private FieldSet allowedByLastApplied(ObjectNode live) {
        String text = lastApplied(live);
        if (text == null) {
            return new FieldSet();
        }
        try {
            JsonNode last = Json.MAPPER.readTree(text);
            if (!last.isObject() || !apiVersion.equals(last.path("apiVersion").asText())) {
                return new FieldSet();
            }
            TypedValues.Comparison c = TypedValues.compare(last, withoutManaged(live), shape);
            return TypedValues.fieldsOf(last, shape).difference(c.changed()).difference(c.removed());
        } catch (Exception e) {
            return new FieldSet();
        }
    }

    private static String lastApplied(JsonNode obj) {
        JsonNode v = Json.at(obj, "metadata", "annotations", LAST_APPLIED);
        return v == null || v.asText().isEmpty() ? null : v.asText();
    }

    private TypedValues.Comparison compare(ObjectNode live, ObjectNode next) {
        return TypedValues.compare(withoutManaged(live), withoutManaged(next), shape);
    }

    private static ObjectNode withoutManaged(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        JsonNode meta = copy.get("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        return copy;
    }

    /** Leaves out the fields the other half of a split resource owns (status on the main resource, spec on status). */
    private FieldSet filter(FieldSet fields) {
        if (!statusApart) {
            return fields;
        }
        return subresource.equals("status") ? fields.without(PathElement.field("spec")) : fields.without(PathElement.field("status"));
    }

    /** Merges the oldest updaters into "ancient-changes" when there are more than ten. */
    private static void capUpdaters(Map<Manager, Entry> managed) {
        List<Manager> updaters = managed.keySet().stream().filter(m -> !m.applied())
                .sorted(java.util.Comparator.<Manager, String>comparing(m -> String.valueOf(managed.get(m).time()))
                        .thenComparing(Manager::name))
                .toList();
        int excess = updaters.size() - MAX_UPDATE_MANAGERS;
        for (int i = 0; i < updaters.size() && excess > 0; i++) {
            Manager m = updaters.get(i);
            Entry e = managed.remove(m);
            Manager bucket = new Manager("ancient-changes", false, e.apiVersion(), "");
            Entry old = managed.get(bucket);
            managed.put(bucket, new Entry(old == null ? e.fields() : old.fields().union(e.fields()), e.apiVersion(), e.time()));
            if (old != null) {
                excess--; // two entries became one
            }
        }
    }

    private static Map<Manager, Entry> copy(Map<Manager, Entry> managed) {
        return new LinkedHashMap<>(managed);
    }

    private static String time(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
