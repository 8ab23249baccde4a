package io.capstan.apiserver.admission.podsecurity;

import io.capstan.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a namespace asks for in each mode: the level and version pods are held to for enforce, audit and warn. */
public record Policy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {

    static final String PREFIX = "pod-security.kubernetes.io/";
    public static final String ENFORCE = PREFIX + "enforce";
    public static final String ENFORCE_VERSION = PREFIX + "enforce-version";
    public static final String AUDIT = PREFIX + "audit";
    public static final String AUDIT_VERSION = PREFIX + "audit-version";
    public static final String WARN = PREFIX + "warn";
    public static final String WARN_VERSION = PREFIX + "warn-version";

    /** Kubernetes' default without an AdmissionConfiguration: privileged:latest in every mode. */
    public static final Policy PRIVILEGED = new Policy(LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST,
            LevelVersion.PRIVILEGED_LATEST);

    /** The policy labels give over the defaults, with the errors of labels that do not parse. */
    public record Evaluated(Policy policy, List<FieldError> errors) {}

    boolean fullyPrivileged() {
        return enforce.level() == Level.PRIVILEGED && audit.level() == Level.PRIVILEGED && warn.level() == Level.PRIVILEGED;
    }

    boolean equivalent(Policy other) {
        return enforce.equivalent(other.enforce) && audit.equivalent(other.audit) && warn.equivalent(other.warn);
    }

    /**
     * api.PolicyToEvaluate: an enforce level that does not parse counts as restricted (fail closed), bad audit and
     * warn levels as privileged (fail open), bad versions as latest; without its own warn label, warn is raised to
     * the enforce level (and version).
     */
    public static Evaluated fromLabels(Map<String, String> labels, Policy defaults) {
        List<FieldError> errors = new ArrayList<>();
        LevelVersion enforce = defaults.enforce;
        LevelVersion audit = defaults.audit;
        LevelVersion warn = defaults.warn;
        boolean hasEnforceLevel = false;
        if (labels.containsKey(ENFORCE)) {
            Level l = level(labels, ENFORCE, Level.RESTRICTED, errors);
            hasEnforceLevel = Level.parse(labels.get(ENFORCE)).isPresent();
            enforce = enforce.withLevel(l);
        }
        if (labels.containsKey(ENFORCE_VERSION)) {
            enforce = enforce.withVersion(version(labels, ENFORCE_VERSION, errors));
        }
        if (labels.containsKey(AUDIT)) {
            audit = audit.withLevel(level(labels, AUDIT, Level.PRIVILEGED, errors));
        }
        if (labels.containsKey(AUDIT_VERSION)) {
            audit = audit.withVersion(version(labels, AUDIT_VERSION, errors));
        }
        boolean hasWarnLevel = labels.containsKey(WARN);
        if (hasWarnLevel) {
            warn = warn.withLevel(level(labels, WARN, Level.PRIVILEGED, errors));
        }
        boolean hasWarnVersion = labels.containsKey(WARN_VERSION);
        if (hasWarnVersion) {
            warn = warn.withVersion(version(labels, WARN_VERSION, errors));
        }
        if (!hasWarnLevel && hasEnforceLevel && enforce.level().compareTo(warn.level()) > 0) {
            warn = warn.withLevel(enforce.level());
            if (!hasWarnVersion) {
                warn = warn.withVersion(enforce.version());
            }
        }
        return new Evaluated(new Policy(enforce, audit, warn), List.copyOf(errors));
    }

    private static Level level(Map<String, String> labels, String key, Level onError, List<FieldError> errors) {
        String value = labels.get(key);
        return Level.parse(value).orElseGet(() -> {
            errors.add(invalid(key, value, Level.VALID));
            return onError;
        });
    }

    private static Version version(Map<String, String> labels, String key, List<FieldError> errors) {
        String value = labels.get(key);
        return Version.parse(value).orElseGet(() -> {
            errors.add(invalid(key, value, Version.VALID));
            return Version.LATEST;
        });
    }

    private static FieldError invalid(String label, String value, String detail) {
        return FieldError.invalid("metadata.labels[" + label + "]", FieldError.quote(value), detail);
    }
}
