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
        return TableConvertors.BUILTIN.getOrDefault(type.group() + "/" + type.kind(), DefaultTableConvertor.INSTANCE);
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
