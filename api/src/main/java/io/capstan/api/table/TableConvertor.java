package io.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * Turns objects of one kind into Table rows: the columns kubectl get prints. Like kube-apiserver, a convertor
 * always gives every column, the `-o wide` ones (priority 1) included; kubectl hides those itself.
 */
public interface TableConvertor {

    List<TableColumn> columns();

    /** The cells of one row, in column order (strings, longs, doubles, booleans, or null). */
    List<Object> cells(ObjectNode object, Instant now);

    /** Conditions of one row; Kubernetes marks pods that have finished as Completed. */
    default List<TableRowCondition> conditions(ObjectNode object) {
        return List.of();
    }

    /** The convertor for a kind: Kubernetes' own columns for built-in kinds, Name and Age for others. */
    static TableConvertor forType(ResourceType type) {
        if (type.custom() != null) {
            return TableConvertors.CUSTOM.computeIfAbsent(type.custom().printerColumns(), TableConvertor::fromCrdColumns);
        }
        return TableConvertors.BUILTIN.getOrDefault(type.group() + "/" + type.kind(), DefaultTableConvertor.INSTANCE);
    }

    /** The additionalPrinterColumns of a CRD version as a convertor; a column with a JSONPath we cannot follow is left out. */
    private static TableConvertor fromCrdColumns(JsonNode columns) {
        List<PrinterColumn> parsed = new java.util.ArrayList<>();
        for (JsonNode c : columns) {
            PrinterColumn column = new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
                    c.path("format").asText(""), c.path("jsonPath").asText(), c.path("priority").asInt(0), c.path("description").asText(""));
            try {
                fromColumns(List.of(column));
                parsed.add(column);
            } catch (IllegalArgumentException e) {
                // kube-apiserver refuses such a CRD; one stored before that check shows the other columns
            }
        }
        return fromColumns(parsed);
    }

    /** The convertor for the scale subresource of any scalable kind. */
    static TableConvertor forScale() {
        return WorkloadTables.SCALE;
    }

    /**
     * A convertor from CRD printer columns, after a Name column; with none, Name and Age as for a CRD that
     * declares none. An unsupported JSONPath is an IllegalArgumentException.
     */
    static TableConvertor fromColumns(List<PrinterColumn> columns) {
        return new ColumnTableConvertor(columns);
    }

    /** The Age cell of an object. */
    static String age(JsonNode object, Instant now) {
        return Cells.since(Cells.text(object, "metadata", "creationTimestamp"), now);
    }
}
