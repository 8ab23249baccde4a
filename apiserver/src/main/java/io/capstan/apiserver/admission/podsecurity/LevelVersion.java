package io.capstan.apiserver.admission.podsecurity;

/** A level at a policy version, written as Kubernetes writes it: "restricted:latest", "baseline:v1.25". */
public record LevelVersion(Level level, Version version) {

    public static final LevelVersion PRIVILEGED_LATEST = new LevelVersion(Level.PRIVILEGED, Version.LATEST);

    LevelVersion withLevel(Level l) {
        return new LevelVersion(l, version);
    }

    LevelVersion withVersion(Version v) {
        return new LevelVersion(level, v);
    }

    /** Both privileged (whatever the version), or the same level at the same version. */
    boolean equivalent(LevelVersion other) {
        return level == Level.PRIVILEGED && other.level == Level.PRIVILEGED || equals(other);
    }

    @Override
    public String toString() {
        return level + ":" + version;
    }
}
