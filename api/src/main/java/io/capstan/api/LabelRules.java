package io.capstan.api;

import java.util.regex.Pattern;

/** Kubernetes' rules for names, label keys and label values (apimachinery util/validation). */
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

    private static final Pattern NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelRules() {}

    /** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters. */
    public static boolean isQualifiedName(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!isDns1123Subdomain(prefix)) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= 63 && NAME_PART.matcher(name).matches();
    }

    public static boolean isLabelValue(String value) {
        return value.length() <= 63 && LABEL_VALUE.matcher(value).matches();
    }

    public static boolean isDns1123Label(String s) {
        return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
    }

    public static boolean isDns1123Subdomain(String s) {
        return !s.isEmpty() && s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches();
    }
}
