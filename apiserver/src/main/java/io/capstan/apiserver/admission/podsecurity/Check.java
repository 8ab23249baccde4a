package io.capstan.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One Pod Security Standards control, as policy.Check: an id, the level it belongs to, and its
 * implementation from each policy version on (a restricted check may replace baseline ones).
 */
record Check(String id, Level level, List<Versioned> versions) {

    /** Judges a pod (or pod template) by its metadata and spec. */
    @FunctionalInterface
    interface PodCheck {
        CheckResult check(JsonNode metadata, JsonNode spec);
    }

    /** The implementation in force from minimumVersion until the next one; overrides names baseline checks it replaces. */
    record Versioned(Version minimumVersion, PodCheck check, List<String> overrides) {}

    static Check of(String id, Level level, Versioned... versions) {
        return new Check(id, level, List.of(versions));
    }

    static Versioned since(int minor, PodCheck check) {
        return new Versioned(Version.of(1, minor), check, List.of());
    }

    static Versioned since(int minor, PodCheck check, String overrides) {
        return new Versioned(Version.of(1, minor), check, List.of(overrides));
    }
}
