package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns a Status answer back into the StatusException the server raised (without field causes), so callers branch on code and reason. */
final class Statuses {

    private Statuses() {}

    static StatusException toException(int httpCode, byte[] body) {
        JsonNode status;
        try {
            status = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            status = null;
        }
        if (status == null || !"Status".equals(status.path("kind").asText())) {
            String text = new String(body, StandardCharsets.UTF_8);
            return new StatusException(httpCode, "Unknown", "the server answered " + httpCode + ": "
                    + text.substring(0, Math.min(text.length(), 200)), null, null, null, List.of(), 0);
        }
        return toException(status, httpCode);
    }

    static StatusException toException(JsonNode status, int fallbackCode) {
        JsonNode details = status.path("details");
        return new StatusException(status.path("code").asInt(fallbackCode), status.path("reason").asText("Unknown"),
                status.path("message").asText(), textOrNull(details, "name"), textOrNull(details, "group"),
                textOrNull(details, "kind"), List.of(), details.path("retryAfterSeconds").asInt(0));
    }

    private static String textOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
