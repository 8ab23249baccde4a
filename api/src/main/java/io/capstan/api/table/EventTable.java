package io.capstan.api.table;

import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Events, core/v1 and events.k8s.io/v1 alike: Kubernetes prints both from one internal Event, so the newer
 * field names (regarding, note, deprecated*) are read where the core ones are missing.
 */
final class EventTable implements TableConvertor {

    static final EventTable INSTANCE = new EventTable();

    private static final List<TableColumn> COLUMNS = Columns.empty()
            .string("Last Seen", "The time at which the most recent occurrence of this event was recorded.")
            .string("Type", "Type of this event (Normal, Warning), new types could be added in the future")
            .string("Reason", "This should be a short, machine understandable string that gives the reason for the transition into "
                    + "the object's current status.")
            .string("Object", "The object that this event is about.")
            .wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a "
                    + "valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object "
                    + "reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where "
                    + "\"name\" refers to the name of the container that triggered the event) or if no container name is specified "
                    + "\"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some "
                    + "well-defined way of referencing a part of an object.")
            .wide("Source", "The component reporting this event. Should be a short machine understandable string.")
            .string("Message", "A human-readable description of the status of this operation.")
            .wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)")
            .wide("Count", "The number of times this event has occurred.")
            .add(new TableColumn("Name", "string", "name", Columns.NAME_DESCRIPTION, 1))
            .build();

    private EventTable() {}

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode e, Instant now) {
        String firstSeen = Cells.since(either(e, "firstTimestamp", "deprecatedFirstTimestamp"), now);
        if (Cells.instant(either(e, "firstTimestamp", "deprecatedFirstTimestamp")) == null) {
            firstSeen = Cells.since(text(e, "eventTime"), now);
        }
        String lastSeen = Cells.instant(either(e, "lastTimestamp", "deprecatedLastTimestamp")) == null
                ? firstSeen : Cells.since(either(e, "lastTimestamp", "deprecatedLastTimestamp"), now);
        long count = e.has("count") ? e.path("count").asLong(0) : e.path("deprecatedCount").asLong(0);
        JsonNode series = e.path("series");
        if (series.isObject()) {
            lastSeen = Cells.since(text(series, "lastObservedTime"), now);
            count = series.path("count").asLong(0);
        } else if (count == 0) {
            count = 1; // singleton events carry no count in the new API
        }
        JsonNode involved = e.has("involvedObject") ? e.path("involvedObject") : e.path("regarding");
        String kind = text(involved, "kind").toLowerCase(Locale.ROOT);
        String target = text(involved, "name").isEmpty() ? kind : kind + "/" + text(involved, "name");
        JsonNode source = e.has("source") ? e.path("source") : e.path("deprecatedSource");
        String component = firstNonEmpty(text(source, "component"), text(e, "reportingController"));
        String host = firstNonEmpty(text(source, "host"), text(e, "reportingInstance"));
        String message = (e.has("message") ? text(e, "message") : text(e, "note")).strip();
        return List.of(lastSeen, text(e, "type"), text(e, "reason"), target, text(involved, "fieldPath"),
                host.isEmpty() ? component : component + ", " + host, message, firstSeen, count, Cells.name(e));
    }

    private static String either(JsonNode e, String core, String events) {
        String v = text(e, core);
        return v.isEmpty() ? text(e, events) : v;
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
