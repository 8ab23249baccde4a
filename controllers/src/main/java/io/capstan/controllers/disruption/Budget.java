package io.capstan.controllers.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a budget asks for over its current pods (getExpectedPodCount): with an integer
 * minAvailable the pods present are the expected count; a percentage or maxUnavailable scales
 * against the replicas of the pods' controllers, rounding up as intstr.GetScaledValueFromIntOrPercent does.
 */
record Budget(int expected, int desiredHealthy, List<String> unmanaged) {

    static Budget of(JsonNode spec, List<ObjectNode> pods, ExpectedScale scale) {
        JsonNode maxUnavailable = spec.get("maxUnavailable");
        JsonNode minAvailable = spec.get("minAvailable");
        if (maxUnavailable != null && !maxUnavailable.isNull()) {
            ExpectedScale.Count count = scale.of(pods);
            int max = scaled(maxUnavailable, count.expected());
            return new Budget(count.expected(), Math.max(0, count.expected() - max), count.unmanaged());
        }
        if (minAvailable != null && !minAvailable.isNull()) {
            if (minAvailable.isIntegralNumber()) {
                return new Budget(pods.size(), minAvailable.asInt(), List.of());
            }
            ExpectedScale.Count count = scale.of(pods);
            return new Budget(count.expected(), scaled(minAvailable, count.expected()), count.unmanaged());
        }
        return new Budget(0, 0, List.of());
    }

    /** An int as is, or a percentage of total rounded up; anything else is Kubernetes' error. */
    static int scaled(JsonNode value, int total) {
        if (value.isIntegralNumber()) {
            return value.asInt();
        }
        String text = value.asText();
        if (!text.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid value \"" + text + "\": " + e.getMessage());
        }
        return (int) Math.ceil(percent * (double) total / 100);
    }
}
