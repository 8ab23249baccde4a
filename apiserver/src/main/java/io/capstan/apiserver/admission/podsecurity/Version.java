package io.capstan.apiserver.admission.podsecurity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A policy version: "latest" or v1.x; latest is newer than every numbered version. */
public record Version(int major, int minor, boolean latest) implements Comparable<Version> {

    public static final Version LATEST = new Version(0, 0, true);
    static final String VALID = "must be \"latest\" or \"v1.x\"";
    private static final Pattern V1 = Pattern.compile("^v1\\.([0-9]|[1-9][0-9]*)$");

    public static Version of(int major, int minor) {
        return new Version(major, minor, false);
    }

    public static Optional<Version> parse(String value) {
        if (value.equals("latest")) {
            return Optional.of(LATEST);
        }
        Matcher m = V1.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(1, Integer.parseInt(m.group(1))));
        } catch (NumberFormatException tooBig) {
            return Optional.empty();
        }
    }

    Version nextMinor() {
        return latest ? this : of(major, minor + 1);
    }

    boolean olderThan(Version other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Version o) {
        if (latest || o.latest) {
            return Boolean.compare(latest, o.latest);
        }
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return latest ? "latest" : "v" + major + "." + minor;
    }
}
