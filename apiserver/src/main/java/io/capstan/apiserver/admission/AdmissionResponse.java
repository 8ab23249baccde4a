package io.capstan.apiserver.admission;

/** Where admission leaves what it has to say besides a refusal: warnings for the client, annotations for the audit event. */
public interface AdmissionResponse {

    /** A warning the client shows (an HTTP Warning header); the same text twice is sent once. */
    void warn(String text);

    /** An annotation on the request's audit event. */
    void annotate(String key, String value);

    /** Drops everything (for tests and in-process writes). */
    AdmissionResponse DISCARD = new AdmissionResponse() {
        @Override
        public void warn(String text) {}

        @Override
        public void annotate(String key, String value) {}
    };
}
