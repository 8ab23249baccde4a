package io.capstan.agent.probes;

import io.capstan.agent.PodWarning;

/**
 * What one probe attempt found (the kubelet's probe.Result with its output): SUCCESS, WARNING (counts as success,
 * e.g. a redirect to another host), FAILURE with the check's output, or ERROR when the probe could not run at all
 * (its result is thrown away).
 */
public record Outcome(Kind kind, String output) {

    public enum Kind { SUCCESS, WARNING, FAILURE, ERROR }

    public static Outcome success(String output) {
        return new Outcome(Kind.SUCCESS, output);
    }

    public static Outcome warning(String output) {
        return new Outcome(Kind.WARNING, output);
    }

    public static Outcome failure(String output) {
        return new Outcome(Kind.FAILURE, output);
    }

    public static Outcome error(String message) {
        return new Outcome(Kind.ERROR, message);
    }

    /** The result this attempt counts as. */
    public ProbeResult result() {
        return kind == Kind.SUCCESS || kind == Kind.WARNING ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
    }

    /**
     * The Warning event the kubelet records for this attempt on the container, null for none: reason Unhealthy with
     * "Liveness probe failed: OUTPUT" or "... probe errored and resulted in Failure state: ...", or ProbeWarning.
     */
    public PodWarning event(ProbeType type) {
        return switch (kind) {
            case SUCCESS -> null;
            case WARNING -> new PodWarning("ProbeWarning", type.display() + " probe warning: " + output);
            case FAILURE -> new PodWarning("Unhealthy", type.display() + " probe failed: " + output);
            case ERROR -> new PodWarning("Unhealthy", type.display() + " probe errored and resulted in Failure state: " + output);
        };
    }
}
