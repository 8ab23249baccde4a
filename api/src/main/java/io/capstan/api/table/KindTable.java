package io.capstan.api.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/** A convertor made of column definitions and a function computing one row's cells. */
record KindTable(List<TableColumn> columns, BiFunction<ObjectNode, Instant, List<Object>> rows) implements TableConvertor {

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return rows.apply(object, now);
    }
}
