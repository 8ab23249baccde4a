package io.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A Table from a CRD's additionalPrinterColumns, computed as apiextensions-apiserver's table convertor does. */
final class ColumnTableConvertor implements TableConvertor {

    private final List<TableColumn> columns;
    private final List<PrinterColumn> printerColumns;
    private final List<JsonPath> paths;

    ColumnTableConvertor(List<PrinterColumn> printerColumns) {
        List<PrinterColumn> defined = printerColumns.isEmpty()
                ? List.of(new PrinterColumn("Age", "date", "", ".metadata.creationTimestamp", 0, Columns.CREATION_DESCRIPTION))
                : printerColumns;
        List<TableColumn> cols = new ArrayList<>(List.of(Columns.NAME));
        List<JsonPath> ps = new ArrayList<>();
        for (PrinterColumn c : defined) {
            ps.add(JsonPath.parse(c.jsonPath()));
            String description = c.description() == null || c.description().isEmpty()
                    ? "Custom resource definition column (in JSONPath format): " + c.jsonPath() : c.description();
            cols.add(new TableColumn(c.name(), c.type(), c.format() == null ? "" : c.format(), description, c.priority()));
        }
        this.columns = List.copyOf(cols);
        this.printerColumns = List.copyOf(defined);
        this.paths = List.copyOf(ps);
    }

    @Override
    public List<TableColumn> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(Cells.name(object));
        for (int i = 0; i < paths.size(); i++) {
            JsonNode value = paths.get(i).evaluate(object);
            cells.add(value.isMissingNode() || value.isNull() ? null : cell(printerColumns.get(i).type(), value, now));
        }
        return cells;
    }

    /** cellForJSONValue: a value of the wrong type for its column is a null cell; string columns print anything. */
    private static Object cell(String type, JsonNode value, Instant now) {
        return switch (type) {
            case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
            case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
            case "date" -> {
                if (!value.isTextual()) {
                    yield null;
                }
                Instant t = Cells.instant(value.asText());
                yield t == null ? "<invalid>" : HumanDuration.format(Duration.between(t, now));
            }
            case "string" -> goText(value);
            default -> null;
        };
    }

    /** How Go's fmt prints a decoded JSON value: strings bare, arrays as [a b], objects as map[k:v] with sorted keys. */
    static String goText(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        } else if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(goText(v)));
            return "[" + String.join(" ", items) + "]";
        } else if (value.isObject()) {
            List<String> items = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = value.properties().stream()
                    .sorted(Map.Entry.comparingByKey()).iterator();
            fields.forEachRemaining(e -> items.add(e.getKey() + ":" + goText(e.getValue())));
            return "map[" + String.join(" ", items) + "]";
        } else if (value.isNull()) {
            return "<nil>";
        }
        return value.asText();
    }
}
