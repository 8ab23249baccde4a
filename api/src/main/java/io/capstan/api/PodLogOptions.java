package io.capstan.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The query of pods/log (and of the agent's containerLogs), checked as Kubernetes' ValidatePodLogOptions does.
 * Null numbers and times mean "not given".
 */
public record PodLogOptions(String container, boolean follow, boolean previous, boolean timestamps, Long tailLines,
                            Long limitBytes, Long sinceSeconds, Instant sinceTime) {

    /**
     * Reads the parameters (their first values).
     *
     * @param pod names the options in a validation failure
     * @throws StatusException 422 {@code PodLogOptions "p" is invalid: ...} for negative or malformed values
     */
    public static PodLogOptions parse(Function<String, String> query, String pod) {
        List<FieldError> errors = new ArrayList<>();
        Long tail = number(query.apply("tailLines"), "tailLines", errors);
        Long limit = number(query.apply("limitBytes"), "limitBytes", errors);
        Long sinceSeconds = number(query.apply("sinceSeconds"), "sinceSeconds", errors);
        Instant sinceTime = time(query.apply("sinceTime"), errors);
        if (tail != null && tail < 0) {
            errors.add(FieldError.invalid("tailLines", Long.toString(tail), "must be greater than or equal to 0"));
        }
        if (limit != null && limit < 1) {
            errors.add(FieldError.invalid("limitBytes", Long.toString(limit), "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            errors.add(FieldError.invalid("sinceSeconds", Long.toString(sinceSeconds), "must be greater than 0"));
        }
        if (!errors.isEmpty()) {
            throw StatusException.invalid("PodLogOptions", "", "PodLogOptions", pod, errors);
        }
        String container = query.apply("container");
        return new PodLogOptions(container == null ? "" : container, flag(query.apply("follow")), flag(query.apply("previous")),
                flag(query.apply("timestamps")), tail, limit, sinceSeconds, sinceTime);
    }

    /** The same options as the kubelet's containerLogs query (the container goes in the path). */
    public String kubeletQuery() {
        List<String> params = new ArrayList<>();
        if (follow) {
            params.add("follow=true");
        }
        if (previous) {
            params.add("previous=true");
        }
        if (timestamps) {
            params.add("timestamps=true");
        }
        if (sinceSeconds != null) {
            params.add("sinceSeconds=" + sinceSeconds);
        }
        if (sinceTime != null) {
            params.add("sinceTime=" + URLEncoder.encode(sinceTime.toString(), StandardCharsets.UTF_8));
        }
        if (tailLines != null) {
            params.add("tailLines=" + tailLines);
        }
        if (limitBytes != null) {
            params.add("limitBytes=" + limitBytes);
        }
        return String.join("&", params);
    }

    /** The earliest time wanted, from sinceTime or sinceSeconds before now; null for all. */
    public Instant since(Instant now) {
        return sinceTime != null ? sinceTime : sinceSeconds != null ? now.minusSeconds(sinceSeconds) : null;
    }

    /** Query flags are true as "true" or "1", as Go's strconv.ParseBool reads them for these. */
    public static boolean flag(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1") || value.equals("t") || value.equals("T"));
    }

    private static Long number(String value, String field, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            errors.add(FieldError.invalid(field, value, "must be an integer"));
            return null;
        }
    }

    private static Instant time(String value, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.invalid("sinceTime", value, "must be an RFC 3339 time"));
            return null;
        }
    }
}
