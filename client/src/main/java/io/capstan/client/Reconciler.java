package io.capstan.client;

/** One controller's work for one key: read desired and observed state, act, and say whether to look again. */
@FunctionalInterface
public interface Reconciler {

    /** Brings the object named by key towards its desired state; an exception retries the key with back-off. */
    Result reconcile(String key) throws Exception;
}
