package io.capstan.api;

/**
 * One invalid field, rendered as Kubernetes' field.Error renders it.
 *
 * @param type what is wrong with it
 * @param field the field path, e.g. "spec.template.metadata.labels"
 * @param badValue the offending value already rendered the Go way (e.g. {@code "Foo"} with quotes, {@code -1}); null when none applies
 * @param detail a human explanation, may be empty
 */
public record FieldError(Type type, String field, String badValue, String detail) {

    /** Kubernetes' field.ErrorType values. */
    public enum Type {
        NOT_FOUND("FieldValueNotFound", "Not found"),
        REQUIRED("FieldValueRequired", "Required value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        /** Not a field.Error type: the cause of a server-side apply conflict, whose detail is the whole message. */
        FIELD_MANAGER_CONFLICT("FieldManagerConflict", "");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        /** The cause reason in a Status, e.g. "FieldValueInvalid". */
        public String reason() { return reason; }

        /** The words of the message, e.g. "Invalid value". */
        public String text() { return text; }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, String badValue, String detail) {
        return new FieldError(Type.INVALID, field, badValue, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError notSupported(String field, String badValue, String detail) {
        return new FieldError(Type.NOT_SUPPORTED, field, badValue, detail);
    }

    public static FieldError duplicate(String field, String badValue) {
        return new FieldError(Type.DUPLICATE, field, badValue, "");
    }

    /** The body without the field: "Invalid value: \"Foo\": must be ..." or "Required value". */
    public String body() {
        if (type == Type.FIELD_MANAGER_CONFLICT) {
            return detail;
        }
        StringBuilder s = new StringBuilder(type.text());
        boolean showsValue = switch (type) {
            case REQUIRED, FORBIDDEN, TOO_LONG -> false;
            default -> badValue != null;
        };
        if (showsValue) {
            s.append(": ").append(badValue);
        }
        if (detail != null && !detail.isEmpty()) {
            s.append(": ").append(detail);
        }
        return s.toString();
    }

    /** "field: body", as Kubernetes prints a field error. */
    public String message() {
        return field + ": " + body();
    }

    /** Renders a string value the way Go's %q does, for badValue; null is Go's zero string. */
    public static String quote(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : (value == null ? "" : value).toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> s.append(c);
            }
        }
        return s.append('"').toString();
    }
}
