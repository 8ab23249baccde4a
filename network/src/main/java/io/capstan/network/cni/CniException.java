package io.capstan.network.cni;

/** A CNI plugin that failed, with its message (it ends up in the pod's FailedCreatePodSandBox event). */
public final class CniException extends RuntimeException {

    public CniException(String message) {
        super(message);
    }
}
