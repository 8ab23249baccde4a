package io.capstan.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for names, label keys and label values (apimachinery util/validation): each
 * check returns Kubernetes' messages, empty when the value is valid.
 */
public final class LabelRules {

    public static final String QUALIFIED_NAME_MESSAGE = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    public static final String LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
            + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    public static final String DNS1123_SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    public static final String DNS1123_LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
            + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    public static final String DNS1035_LABEL_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
            + "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    private static final String QUALIFIED_NAME_WITH_PREFIX_MESSAGE = "a qualified name must consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and "
            + "'/' (e.g. 'example.com/MyName')";

    private static final Pattern NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private LabelRules() {}

    /** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters (IsQualifiedName). */
    public static List<String> qualifiedNameErrors(String key) {
        List<String> errors = new ArrayList<>();
        String[] parts = key.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                name = parts[1];
                if (parts[0].isEmpty()) {
                    errors.add("prefix part must be non-empty");
                } else {
                    dns1123SubdomainErrors(parts[0]).forEach(m -> errors.add("prefix part " + m));
                }
            }
            default -> {
                return List.of(QUALIFIED_NAME_WITH_PREFIX_MESSAGE);
            }
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errors.add("name part must be no more than 63 characters");
        }
        if (!NAME_PART.matcher(name).matches()) {
            errors.add(QUALIFIED_NAME_MESSAGE);
        }
        return errors;
    }

    public static List<String> labelValueErrors(String value) {
        return lengthAndPattern(value, 63, LABEL_VALUE, LABEL_VALUE_MESSAGE);
    }

    public static List<String> dns1123LabelErrors(String s) {
        // A valid subdomain that is not a valid label (length aside) can only be wrong in its dots.
        return lengthAndPattern(s, 63, DNS1123_LABEL, DNS1123_SUBDOMAIN.matcher(s).matches() ? "must not contain dots" : DNS1123_LABEL_MESSAGE);
    }

    public static List<String> dns1123SubdomainErrors(String s) {
        return lengthAndPattern(s, 253, DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MESSAGE);
    }

    public static List<String> dns1035LabelErrors(String s) {
        return lengthAndPattern(s, 63, DNS1035_LABEL, DNS1035_LABEL_MESSAGE);
    }

    /** Kubernetes' two checks of most names: MaxLenError, then RegexError. */
    private static List<String> lengthAndPattern(String s, int max, Pattern pattern, String message) {
        List<String> errors = new ArrayList<>(2);
        if (s.length() > max) {
            errors.add("must be no more than " + max + " characters");
        }
        if (!pattern.matcher(s).matches()) {
            errors.add(message);
        }
        return errors;
    }

    public static boolean isQualifiedName(String key) {
        return qualifiedNameErrors(key).isEmpty();
    }

    public static boolean isLabelValue(String value) {
        return labelValueErrors(value).isEmpty();
    }

    public static boolean isDns1123Label(String s) {
        return dns1123LabelErrors(s).isEmpty();
    }

    public static boolean isDns1123Subdomain(String s) {
        return dns1123SubdomainErrors(s).isEmpty();
    }
}
