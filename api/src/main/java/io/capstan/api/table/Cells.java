package io.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** How Kubernetes' printers turn fields into cell text: missing fields, timestamps, labels, selectors, containers. */
final class Cells {

    static final String NONE = "<none>";
    static final String UNSET = "<unset>";
    static final String UNKNOWN = "<unknown>";

    private Cells() {}

    /** The text at a path, "" when missing (Go's zero value). */
    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    /** The integer at a path, 0 when missing; cells carry it as int64. */
    static long integer(JsonNode node, String... path) {
        return at(node, path).asLong(0);
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return n;
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }

    static boolean deleting(JsonNode object) {
        return !text(object, "metadata", "deletionTimestamp").isEmpty();
    }

    /** "5m" since a timestamp, "<unknown>" when there is none (translateTimestampSince). */
    static String since(String timestamp, Instant now) {
        Instant t = instant(timestamp);
        return t == null ? UNKNOWN : HumanDuration.format(Duration.between(t, now));
    }

    /** An RFC 3339 timestamp (seconds or micro-seconds), null when missing or unreadable. */
    static Instant instant(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** labels.FormatLabels: "a=b,c=d" sorted by key, "<none>" when empty. */
    static String labels(JsonNode map) {
        TreeMap<String, String> sorted = new TreeMap<>();
        map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        if (sorted.isEmpty()) {
            return NONE;
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /** metav1.FormatLabelSelector: the selector's string form, "<none>" when it selects everything or nothing. */
    static String labelSelector(JsonNode selector) {
        String s = selectorString(selector, "<error>");
        return s.isEmpty() ? NONE : s;
    }

    /** LabelSelectorAsSelector(...).String(), or {@code invalid} when the selector does not parse. */
    static String selectorString(JsonNode selector, String invalid) {
        try {
            return LabelSelector.fromJson(selector.isMissingNode() ? null : selector).toString();
        } catch (IllegalArgumentException e) {
            return invalid;
        }
    }

    /** layoutContainerCells: container names and images, each comma-separated. */
    static List<Object> containersAndImages(JsonNode containers) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : containers) {
            names.add(text(c, "name"));
            images.add(text(c, "image"));
        }
        return List.of(String.join(",", names), String.join(",", images));
    }

    /** IntOrString.String(). */
    static String intOrString(JsonNode value) {
        return value.isNumber() ? Long.toString(value.asLong()) : value.asText();
    }

    /** A Quantity as text; a missing one prints as "0" as Go's zero Quantity does. */
    static String quantity(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "0";
        }
        return value.asText();
    }

    /** printBool / printBoolPtr. */
    static String boolPtr(JsonNode value) {
        if (!value.isBoolean()) {
            return UNSET;
        }
        return value.asBoolean() ? "True" : "False";
    }

    /** Whether a condition of this type is present with status True. */
    static boolean conditionTrue(JsonNode conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(text(c, "type"))) {
                return "True".equals(text(c, "status"));
            }
        }
        return false;
    }

    /** "a,b,c + 2 more..." after the first {@code max} items, "<unset>" when there are none (listWithMoreString). */
    static String listWithMore(List<String> all, int max) {
        if (all.size() > max) {
            return String.join(",", all.subList(0, max)) + " + " + (all.size() - max) + " more...";
        }
        return all.isEmpty() ? UNSET : String.join(",", all);
    }
}
