package io.capstan.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An API failure with its Kubernetes meaning: HTTP code, reason and message, turned into a
 * {@code Status} object in exactly one place (the API server's error writer).
 */
public final class StatusException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;
    private final List<FieldError> causes;
    private final int retryAfterSeconds;

    public StatusException(int code, String reason, String message, String name, String group, String kind,
                           List<FieldError> causes, int retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private StatusException(int code, String reason, String message) {
        this(code, reason, message, null, null, null, List.of(), 0);
    }

    public int code() { return code; }

    public String reason() { return reason; }

    public String name() { return name; }

    public String group() { return group; }

    public String kind() { return kind; }

    public List<FieldError> causes() { return causes; }

    public int retryAfterSeconds() { return retryAfterSeconds; }

    public static StatusException notFound(ResourceType type, String name) {
        return new StatusException(404, "NotFound", type.qualifiedResource() + " " + FieldError.quote(name) + " not found",
                name, type.group(), type.plural(), List.of(), 0);
    }

    /** Not found for a resource named only by group and plural (namespaces, unknown kinds). */
    public static StatusException notFound(String group, String plural, String name) {
        String qualified = group.isEmpty() ? plural : plural + "." + group;
        return new StatusException(404, "NotFound", qualified + " " + FieldError.quote(name) + " not found",
                name, group, plural, List.of(), 0);
    }

    /** A path that names no resource: Kubernetes answers 404 with reason NotFound and this message. */
    public static StatusException pathNotFound() {
        return new StatusException(404, "NotFound", "the server could not find the requested resource");
    }

    public static StatusException alreadyExists(ResourceType type, String name) {
        return new StatusException(409, "AlreadyExists", type.qualifiedResource() + " " + FieldError.quote(name) + " already exists",
                name, type.group(), type.plural(), List.of(), 0);
    }

    public static StatusException conflict(ResourceType type, String name, String why) {
        return new StatusException(409, "Conflict",
                "Operation cannot be fulfilled on " + type.qualifiedResource() + " " + FieldError.quote(name) + ": " + why,
                name, type.group(), type.plural(), List.of(), 0);
    }

    /** The object changed since the caller read it. */
    public static StatusException staleWrite(ResourceType type, String name) {
        return conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static StatusException invalid(ResourceType type, String name, List<FieldError> errors) {
        return invalid(type.qualifiedKind(), type.group(), type.kind(), name, errors);
    }

    public static StatusException invalid(String qualifiedKind, String group, String kind, String name, List<FieldError> errors) {
        String list = errors.size() == 1
                ? errors.getFirst().message()
                : errors.stream().map(FieldError::message).collect(Collectors.joining(", ", "[", "]"));
        return new StatusException(422, "Invalid", qualifiedKind + " " + FieldError.quote(name) + " is invalid: " + list,
                name, group, kind, errors, 0);
    }

    public static StatusException badRequest(String message) {
        return new StatusException(400, "BadRequest", message);
    }

    public static StatusException unauthorized() {
        return new StatusException(401, "Unauthorized", "Unauthorized");
    }

    public static StatusException forbidden(String message) {
        return new StatusException(403, "Forbidden", message);
    }

    /** A create in a namespace that is being deleted, refused as the NamespaceLifecycle admission plugin does. */
    public static StatusException namespaceTerminating(ResourceType type, String name, String namespace) {
        String who = name == null || name.isEmpty() ? type.qualifiedResource() : type.qualifiedResource() + " " + FieldError.quote(name);
        return new StatusException(403, "Forbidden", who + " is forbidden: unable to create new content in namespace " + namespace
                + " because it is being terminated", name, type.group(), type.plural(), List.of(), 0);
    }

    public static StatusException methodNotAllowed() {
        return new StatusException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    public static StatusException notAcceptable(String message) {
        return new StatusException(406, "NotAcceptable", message);
    }

    public static StatusException gone(String message) {
        return new StatusException(410, "Expired", message);
    }

    public static StatusException tooLarge(String message) {
        return new StatusException(413, "RequestEntityTooLarge", message);
    }

    public static StatusException unsupportedMediaType(String contentType) {
        return new StatusException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml, application/vnd.kubernetes.protobuf"
                        + (contentType == null ? "" : ""));
    }

    /** A patch of a type the resource does not take, naming the ones it does. */
    public static StatusException unsupportedPatchType(List<String> accepted) {
        return new StatusException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: " + String.join(", ", accepted));
    }

    public static StatusException tooManyRequests(String message, int retryAfterSeconds) {
        return new StatusException(429, "TooManyRequests", message, null, null, null, List.of(), retryAfterSeconds);
    }

    public static StatusException internal(String message) {
        return new StatusException(500, "InternalError", "Internal error occurred: " + message);
    }

    public static StatusException timeout(String message, int retryAfterSeconds) {
        return new StatusException(504, "Timeout", message, null, null, null, List.of(), retryAfterSeconds);
    }
}
