package io.capstan.api.table;

import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The TARGETS cell of a HorizontalPodAutoscaler: "cpu: 40%/80%, memory: <unknown>/1Gi + 1 more...". */
final class HpaMetrics {

    private static final int MAX = 2;
    private static final String UNKNOWN = Cells.UNKNOWN;

    private HpaMetrics() {}

    static String format(JsonNode specs, JsonNode statuses) {
        if (specs.isEmpty()) {
            return Cells.NONE;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = statuses.path(i);
            list.add(switch (text(spec, "type")) {
                case "External" -> valueOrAverage(spec.path("external").path("target"), status.path("external"));
                case "Object" -> valueOrAverage(spec.path("object").path("target"), status.path("object"));
                case "Pods" -> {
                    JsonNode current = status.path("pods");
                    yield (current.isObject() ? quantity(current.path("current").path("averageValue")) : UNKNOWN) + "/"
                            + quantity(spec.path("pods").path("target").path("averageValue"));
                }
                case "Resource" -> resource(spec.path("resource"), status.path("resource"));
                case "ContainerResource" -> resource(spec.path("containerResource"), status.path("containerResource"));
                default -> "<unknown type>";
            });
        }
        if (list.size() > MAX) {
            return String.join(", ", list.subList(0, MAX)) + " + " + (list.size() - MAX) + " more...";
        }
        return String.join(", ", list);
    }

    private static String valueOrAverage(JsonNode target, JsonNode status) {
        if (target.has("averageValue")) {
            JsonNode current = status.path("current").path("averageValue");
            String c = status.isObject() && current.isValueNode() ? current.asText() : UNKNOWN;
            return c + "/" + target.path("averageValue").asText() + " (avg)";
        }
        String c = status.isObject() ? quantity(status.path("current").path("value")) : UNKNOWN;
        return c + "/" + quantity(target.path("value"));
    }

    private static String resource(JsonNode spec, JsonNode status) {
        JsonNode target = spec.path("target");
        String name = text(spec, "name");
        if (target.has("averageValue")) {
            String c = status.isObject() ? quantity(status.path("current").path("averageValue")) : UNKNOWN;
            return name + ": " + c + "/" + target.path("averageValue").asText();
        }
        JsonNode utilization = status.path("current").path("averageUtilization");
        String c = status.isObject() && utilization.isNumber() ? utilization.asLong() + "%" : UNKNOWN;
        String t = target.path("averageUtilization").isNumber() ? target.path("averageUtilization").asLong() + "%" : "<auto>";
        return name + ": " + c + "/" + t;
    }

    private static String quantity(JsonNode q) {
        return Cells.quantity(q);
    }
}
