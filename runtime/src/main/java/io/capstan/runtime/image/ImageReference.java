package io.capstan.runtime.image;

import java.util.regex.Pattern;

/**
 * An image reference normalised as Docker and containerd do: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; a reference with a digest keeps its tag only if one was given.
 *
 * @param domain the registry ({@code docker.io}, {@code host:port})
 * @param path the repository within it ({@code library/busybox})
 * @param tag the tag, or null when only a digest names the image
 * @param digest {@code sha256:...}, or null
 */
public record ImageReference(String domain, String path, String tag, String digest) {

    static final String DEFAULT_DOMAIN = "docker.io";
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "|\\[[0-9a-fA-F:.]+]");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");

    /** Parses and normalises; throws an INVALID {@link ImageException} naming the reference when it is malformed. */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw invalid(String.valueOf(reference), "empty reference");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches() || !Digests.isSupported(digest)) {
                throw invalid(reference, "invalid digest");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(reference, "invalid tag");
            }
        }
        String domain = DEFAULT_DOMAIN;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            // Docker's rule: the first component is a registry if it looks like a host name, not a user.
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first;
                path = rest.substring(slash + 1);
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        checkDomain(reference, domain);
        if (path.isEmpty()) {
            throw invalid(reference, "missing repository name");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(reference, path.equals(path.toLowerCase()) ? "invalid repository name" : "repository name must be lowercase");
            }
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (domain.length() + 1 + path.length() > 255) {
            throw invalid(reference, "repository name must not be more than 255 characters");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** True for a bare 64-hex image id, which Docker refuses as a repository name. */
    static boolean isImageId(String s) {
        return IMAGE_ID.matcher(s).matches();
    }

    private static void checkDomain(String reference, String domain) {
        String host = domain;
        int portColon = domain.startsWith("[") ? domain.indexOf("]:") + 1 : domain.lastIndexOf(':');
        if (portColon > 0) {
            String port = domain.substring(portColon + 1);
            host = domain.substring(0, portColon);
            if (!port.matches("[0-9]{1,5}")) {
                throw invalid(reference, "invalid port");
            }
        }
        if (!DOMAIN.matcher(host).matches()) {
            throw invalid(reference, "invalid registry host");
        }
    }

    private static ImageException invalid(String reference, String why) {
        return new ImageException(ImageException.Kind.INVALID, "invalid image reference \"" + reference + "\": " + why);
    }

    /** {@code domain/path}, the repository without tag or digest. */
    public String name() {
        return domain + "/" + path;
    }

    /** The tag or else the digest: what the registry's manifests endpoint is asked for. */
    String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** {@code name:tag}, or null when no tag was given. */
    String tagged() {
        return tag == null ? null : name() + ":" + tag;
    }

    /** The host and port to connect to: Docker Hub's API lives on registry-1.docker.io. */
    String registryHost() {
        return domain.equals(DEFAULT_DOMAIN) ? "registry-1.docker.io" : domain;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
