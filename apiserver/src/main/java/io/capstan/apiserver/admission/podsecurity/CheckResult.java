package io.capstan.apiserver.admission.podsecurity;

/** One check's verdict on a pod: allowed, or a short reason ("privileged") with its detail. */
record CheckResult(boolean allowed, String reason, String detail) {

    static final CheckResult ALLOWED = new CheckResult(true, "", "");

    static CheckResult forbidden(String reason, String detail) {
        return new CheckResult(false, reason, detail);
    }
}
