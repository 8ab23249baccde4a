package io.capstan.apiserver.admission.imagepolicy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference normalized as docker's reference.ParseNormalizedNamed does: "nginx" is
 * docker.io/library/nginx, "index.docker.io" is docker.io, the first path component is a registry
 * only when it has a "." or ":" or is "localhost".
 *
 * @param registry e.g. "docker.io", "quay.io", "localhost:5000"
 * @param repository the path in the registry, e.g. "library/nginx"
 * @param tag the tag, or null
 * @param digest "sha256:..." or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    private static final String DOCKER_HUB = "docker.io";
    private static final Pattern PATH = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern REGISTRY = Pattern.compile("(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})");

    /** The reference, or empty when it is not a valid image reference. */
    public static Optional<ImageReference> parse(String image) {
        if (image == null || image.isEmpty()) {
            return Optional.empty();
        }
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.empty();
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.empty();
            }
        }
        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase()))) {
            registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
            repository = rest.substring(slash + 1);
            if (!REGISTRY.matcher(first).matches()) {
                return Optional.empty();
            }
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        if (!PATH.matcher(repository).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ImageReference(registry, repository, tag, digest));
    }

    /** registry/repository, e.g. "docker.io/library/nginx". */
    public String name() {
        return registry + "/" + repository;
    }

    /** The full normalized reference; a reference with neither tag nor digest means ":latest". */
    @Override
    public String toString() {
        String s = name();
        if (tag != null || digest == null) {
            s += ":" + (tag == null ? "latest" : tag);
        }
        return digest == null ? s : s + "@" + digest;
    }
}
