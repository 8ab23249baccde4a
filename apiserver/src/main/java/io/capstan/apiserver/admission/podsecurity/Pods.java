package io.capstan.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reading a pod spec as the checks need it, and the wording helpers of the upstream messages. */
final class Pods {

    private Pods() {}

    /** Init containers, containers, then ephemeral containers, as visitContainers walks them. */
    static List<JsonNode> containers(JsonNode spec) {
        List<JsonNode> all = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            spec.path(list).forEach(all::add);
        }
        return all;
    }

    static String name(JsonNode container) {
        return container.path("name").asText("");
    }

    /** A pointer-to-bool field: true only when set to true. */
    static boolean isTrue(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isBoolean() ? v.booleanValue() : v.isTextual() && v.textValue().equals("true");
    }

    /** A pointer-to-bool field: false only when set to false. */
    static boolean isFalse(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isBoolean() ? !v.booleanValue() : v.isTextual() && v.textValue().equals("false");
    }

    /** Whether the field is present and not null (a non-nil pointer). */
    static boolean isSet(JsonNode node, String field) {
        return node.hasNonNull(field);
    }

    static boolean isWindows(JsonNode spec) {
        return "windows".equals(spec.path("os").path("name").asText(null));
    }

    /** joinQuote: "a", "b". */
    static String joinQuote(Collection<String> items) {
        return items.isEmpty() ? "" : "\"" + String.join("\", \"", items) + "\"";
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    /** "container \"a\"" or "containers \"a\", \"b\"". */
    static String containersPhrase(List<String> names) {
        return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
    }
}
