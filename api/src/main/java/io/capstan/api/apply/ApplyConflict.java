package io.capstan.api.apply;

import io.capstan.api.FieldError;
import io.capstan.api.StatusException;
import io.capstan.api.apply.ManagedFields.Manager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Fields an apply would take from other managers, and the 409 Kubernetes answers for them. */
final class ApplyConflict extends RuntimeException {

    private final Map<Manager, FieldSet> conflicts;

    ApplyConflict(Map<Manager, FieldSet> conflicts) {
        super(null, null, false, false);
        this.conflicts = conflicts;
    }

    /** Whether every conflicting field is in {@code allowed}. */
    boolean onlyWithin(FieldSet allowed) {
        return conflicts.values().stream().allMatch(set -> allowed.intersection(set).equals(set));
    }

    StatusException toStatus() {
        List<FieldError> causes = new ArrayList<>();
        List<Manager> managers = new ArrayList<>(conflicts.keySet());
        managers.sort(Comparator.comparing(Manager::name).thenComparing(Manager::display));
        List<String> lines = new ArrayList<>();
        int count = 0;
        for (Manager m : managers) {
            lines.add("conflicts with " + m.display() + ":");
            for (List<PathElement> path : conflicts.get(m).paths()) {
                String field = display(path);
                causes.add(new FieldError(FieldError.Type.FIELD_MANAGER_CONFLICT, field, null, "conflict with " + m.display()));
                lines.add("- " + field);
                count++;
            }
        }
        String message = count == 1
                ? "Apply failed with 1 conflict: " + causes.getFirst().detail() + ": " + causes.getFirst().field()
                : "Apply failed with " + count + " conflicts: " + String.join("\n", lines);
        return new StatusException(409, "Conflict", message, null, null, null, causes, 0);
    }

    static String display(List<PathElement> path) {
        StringBuilder s = new StringBuilder();
        path.forEach(pe -> s.append(pe.display()));
        return s.toString();
    }
}
