package io.capstan.api.table;

import java.util.ArrayList;
import java.util.List;

/** Column definitions shared by many kinds, with the descriptions Kubernetes gives them, and a small builder. */
final class Columns {

    static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating resources, although some "
            + "resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended "
            + "for creation idempotence and configuration definition. Cannot be updated. More info: "
            + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    static final String CREATION_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when this object was "
            + "created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this "
            + "value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    static final String CONTAINERS_DESCRIPTION = "Names of each container in the template.";
    static final String IMAGES_DESCRIPTION = "Images referenced by each container in the template.";
    static final String SELECTOR_DESCRIPTION = "A label query over pods that should match the replica count. It must match the pod "
            + "template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    static final TableColumn NAME = new TableColumn("Name", "string", "name", NAME_DESCRIPTION, 0);
    static final TableColumn AGE = new TableColumn("Age", "string", "", CREATION_DESCRIPTION, 0);

    private final List<TableColumn> columns = new ArrayList<>();

    private Columns() {}

    /** Starts with the Name column, as nearly every kind does. */
    static Columns name() {
        return new Columns().add(NAME);
    }

    static Columns empty() {
        return new Columns();
    }

    Columns add(TableColumn column) {
        columns.add(column);
        return this;
    }

    Columns string(String name, String description) {
        return add(new TableColumn(name, "string", "", description, 0));
    }

    Columns integer(String name, String description) {
        return add(new TableColumn(name, "integer", "", description, 0));
    }

    Columns bool(String name, String description) {
        return add(new TableColumn(name, "boolean", "", description, 0));
    }

    /** A string column only `-o wide` shows. */
    Columns wide(String name, String description) {
        return add(new TableColumn(name, "string", "", description, 1));
    }

    Columns age() {
        return add(AGE);
    }

    /** Containers and Images, shown with `-o wide`. */
    Columns containersWide() {
        return wide("Containers", CONTAINERS_DESCRIPTION).wide("Images", IMAGES_DESCRIPTION);
    }

    List<TableColumn> build() {
        return List.copyOf(columns);
    }
}
