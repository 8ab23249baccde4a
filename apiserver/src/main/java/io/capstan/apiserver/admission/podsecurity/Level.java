package io.capstan.apiserver.admission.podsecurity;

import java.util.Optional;

/** The Pod Security Standards levels, from least to most restrictive. */
public enum Level {
    PRIVILEGED("privileged"), BASELINE("baseline"), RESTRICTED("restricted");

    static final String VALID = "must be one of privileged, baseline, restricted";

    private final String label;

    Level(String label) {
        this.label = label;
    }

    /** The value as namespace labels spell it. */
    public String label() {
        return label;
    }

    public static Optional<Level> parse(String value) {
        for (Level l : values()) {
            if (l.label.equals(value)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
