package io.capstan.runtime.image;

/** An image that could not be pulled, imported or found, with a message fit for a pod's status. */
public class ImageException extends RuntimeException {

    /** What went wrong, so the agent can tell ErrImagePull from a missing image under policy Never. */
    public enum Kind { NOT_FOUND, UNAUTHORIZED, UNREACHABLE, INVALID }

    private final Kind kind;

    public ImageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ImageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
