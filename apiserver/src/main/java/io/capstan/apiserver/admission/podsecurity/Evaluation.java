package io.capstan.apiserver.admission.podsecurity;

import java.util.ArrayList;
import java.util.List;

/** The failed checks of one evaluation, as policy.AggregateCheckResult words them. */
record Evaluation(List<CheckResult> failures) {

    static Evaluation of(List<CheckResult> results) {
        List<CheckResult> failed = new ArrayList<>();
        for (CheckResult r : results) {
            if (!r.allowed()) {
                failed.add(r.reason().isEmpty() ? new CheckResult(false, "unknown forbidden reason", r.detail()) : r);
            }
        }
        return new Evaluation(List.copyOf(failed));
    }

    boolean allowed() {
        return failures.isEmpty();
    }

    /** "privileged, allowPrivilegeEscalation != false". */
    String reasons() {
        return String.join(", ", failures.stream().map(CheckResult::reason).toList());
    }

    /** "privileged (container \"c\" must not ...), allowPrivilegeEscalation != false (...)". */
    String details() {
        List<String> parts = new ArrayList<>();
        for (CheckResult r : failures) {
            parts.add(r.detail().isEmpty() ? r.reason() : r.reason() + " (" + r.detail() + ")");
        }
        return String.join(", ", parts);
    }
}
