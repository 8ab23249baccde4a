package io.capstan.api.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Name and Created At: what kube-apiserver's default table convertor shows for built-in kinds without printers
 * (Role, ClusterRole, LimitRange, CustomResourceDefinition); the date is the creation timestamp in RFC 3339.
 */
final class CreatedAtTableConvertor implements TableConvertor {

    static final CreatedAtTableConvertor INSTANCE = new CreatedAtTableConvertor();

    private static final List<TableColumn> COLUMNS = List.of(Columns.NAME,
            new TableColumn("Created At", "date", "", Columns.CREATION_DESCRIPTION, 0));

    private CreatedAtTableConvertor() {}

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        Instant created = Cells.instant(Cells.text(object, "metadata", "creationTimestamp"));
        // Go prints a zero time as 0001-01-01T00:00:00Z.
        String date = created == null ? "0001-01-01T00:00:00Z" : created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return List.of(Cells.name(object), date);
    }
}
