package io.capstan.api.crd;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' order of API versions (most preferred first): GA before beta before alpha, higher
 * major and minor numbers first, then versions that look like none of these, alphabetically.
 */
public final class VersionPriority {

    private static final Pattern KUBE = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

    /** Orders versions from most to least preferred. */
    public static final Comparator<String> ORDER = VersionPriority::compare;

    private VersionPriority() {}

    static int compare(String a, String b) {
        Matcher ma = KUBE.matcher(a);
        Matcher mb = KUBE.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka ? -1 : kb ? 1 : a.compareTo(b);
        }
        int stage = Integer.compare(stage(ma), stage(mb));
        if (stage != 0) {
            return stage;
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) {
            return major;
        }
        return ma.group(3) == null ? 0 : Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
    }

    private static int stage(Matcher m) {
        return m.group(2) == null ? 0 : m.group(2).equals("beta") ? 1 : 2;
    }
}
