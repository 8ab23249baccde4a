package io.capstan.api.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Name and Age: what Kubernetes shows for custom resources without printer columns. */
final class DefaultTableConvertor implements TableConvertor {

    static final DefaultTableConvertor INSTANCE = new DefaultTableConvertor();

    private static final List<TableColumn> COLUMNS = List.of(Columns.NAME,
            new TableColumn("Age", "date", "", Columns.CREATION_DESCRIPTION, 0));

    private DefaultTableConvertor() {}

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return List.of(Cells.name(object), TableConvertor.age(object, now));
    }
}
