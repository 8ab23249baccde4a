package io.capstan.api.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Name and Age: what Kubernetes shows for kinds without printer columns. */
final class DefaultTableConvertor implements TableConvertor {

    static final DefaultTableConvertor INSTANCE = new DefaultTableConvertor();

    private static final List<TableColumn> COLUMNS = List.of(
            new TableColumn("Name", "string", "name",
                    "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0),
            new TableColumn("Age", "string", "",
                    "CreationTimestamp is a timestamp representing the server time when this object was created.", 0));

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return List.of(object.path("metadata").path("name").asText(""), TableConvertor.age(object, now));
    }
}
