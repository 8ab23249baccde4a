package io.capstan.apiserver.audit;

/** How much of a request an audit event records, as audit.k8s.io/v1's levels (RequestResponse is kept as Request). */
public enum AuditLevel {
    None, Metadata, Request, RequestResponse;

    static AuditLevel parse(String text) {
        for (AuditLevel l : values()) {
            if (l.name().equals(text)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown audit level \"" + text + "\" (None, Metadata, Request or RequestResponse)");
    }

    boolean atLeast(AuditLevel other) {
        return compareTo(other) >= 0;
    }
}
