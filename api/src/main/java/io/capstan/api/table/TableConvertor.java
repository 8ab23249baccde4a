package io.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import java.time.Instant;
import java.util.List;

/** Turns objects of one kind into Table rows: the columns kubectl get prints. */
public interface TableConvertor {

    List<TableColumn> columns();

    /** The cells of one row, in column order (strings, numbers or booleans). */
    List<Object> cells(ObjectNode object, Instant now);

    /** The convertor for a kind: Name and Age until the kind has its own columns. */
    static TableConvertor forType(ResourceType type) {
        return DefaultTableConvertor.INSTANCE;
    }

    /** The Age cell of an object. */
    static String age(JsonNode object, Instant now) {
        JsonNode created = object.path("metadata").path("creationTimestamp");
        if (!created.isTextual()) {
            return "<unknown>";
        }
        try {
            return HumanDuration.format(java.time.Duration.between(Instant.parse(created.asText()), now));
        } catch (java.time.format.DateTimeParseException e) {
            return "<unknown>";
        }
    }
}
