package io.capstan.agent.env;

/**
 * A container's configuration cannot be built (a missing ConfigMap, Secret or key, an unsupported field path);
 * the agent shows it as the container's waiting reason CreateContainerConfigError with this message.
 */
public final class ContainerConfigError extends RuntimeException {

    public static final String REASON = "CreateContainerConfigError";

    public ContainerConfigError(String message) {
        super(message);
    }
}
