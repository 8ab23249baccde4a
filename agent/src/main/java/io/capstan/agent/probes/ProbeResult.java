package io.capstan.agent.probes;

/** A probe's standing result (the kubelet's results.Result): readiness starts as FAILURE, liveness as SUCCESS, startup as UNKNOWN. */
public enum ProbeResult {
    SUCCESS, FAILURE, UNKNOWN
}
