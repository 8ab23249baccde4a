package io.capstan.agent.pods;

/** A container that cannot be configured as asked (the kubelet's CreateContainerConfigError), with the kubelet's message. */
final class ContainerConfigException extends RuntimeException {

    ContainerConfigException(String message) {
        super(message);
    }
}
