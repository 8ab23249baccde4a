package io.capstan.agent.volumes;

/**
 * A volume cannot be set up; the message is the kubelet's (shown in a FailedMount event, and the pod stays
 * ContainerCreating until it is fixed).
 */
public final class VolumeError extends RuntimeException {

    public static final String REASON = "FailedMount";

    public VolumeError(String message) {
        super(message);
    }

    public VolumeError(String message, Throwable cause) {
        super(message, cause);
    }

    /** The kubelet's event wording: {@code MountVolume.SetUp failed for volume "NAME" : CAUSE}. */
    static VolumeError setUpFailed(String volume, String cause) {
        return new VolumeError("MountVolume.SetUp failed for volume \"" + volume + "\" : " + cause);
    }
}
