package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import java.io.IOException;

/** Writes answers: JSON objects, and every failure as a Kubernetes Status (the one place errors become HTTP). */
public final class Responses {

    public static final String JSON = "application/json";

    private Responses() {}

    public static void json(Exchange exchange, int status, JsonNode body) throws IOException {
        exchange.respond(status, JSON, Json.bytes(body));
    }

    public static void json(Exchange exchange, int status, String contentType, JsonNode body) throws IOException {
        exchange.respond(status, contentType, Json.bytes(body));
    }

    public static void error(Exchange exchange, StatusException e) throws IOException {
        exchange.discardUnreadBody();
        if (e.retryAfterSeconds() > 0) {
            exchange.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        json(exchange, e.code(), status(e));
    }

    /** The Status object Kubernetes sends for a failure. */
    public static ObjectNode status(StatusException e) {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", e.getMessage());
        if (!e.reason().isEmpty()) {
            status.put("reason", e.reason()); // reason Unknown is empty and left out, as Go's omitempty does
        }
        if (e.name() != null || e.kind() != null || !e.causes().isEmpty() || e.retryAfterSeconds() > 0) {
            ObjectNode details = status.putObject("details");
            if (e.name() != null) {
                details.put("name", e.name());
            }
            if (e.group() != null && !e.group().isEmpty()) {
                details.put("group", e.group());
            }
            if (e.kind() != null) {
                details.put("kind", e.kind());
            }
            if (!e.causes().isEmpty()) {
                ArrayNode causes = details.putArray("causes");
                for (FieldError c : e.causes()) {
                    causes.addObject().put("reason", c.type().reason()).put("message", c.body()).put("field", c.field());
                }
            }
            if (e.retryAfterSeconds() > 0) {
                details.put("retryAfterSeconds", e.retryAfterSeconds());
            }
        }
        status.put("code", e.code());
        return status;
    }

    /** A Success Status, as answered by some deletes. */
    public static ObjectNode success(String name, String group, String kind, String uid) {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details").put("name", name).put("group", group).put("kind", kind);
        if (uid != null) {
            details.put("uid", uid);
        }
        return status;
    }
}
