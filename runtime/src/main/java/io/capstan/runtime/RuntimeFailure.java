package io.capstan.runtime;

/**
 * A runtime operation that failed, with a message fit to show a user (it ends up in a pod's status or an
 * event): what was asked, and what the runtime said.
 */
public class RuntimeFailure extends RuntimeException {

    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
