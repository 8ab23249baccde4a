package io.capstan.runtime.image;

import java.util.List;

/**
 * An image held locally.
 *
 * @param id the config's digest ({@code sha256:...}), as {@code crictl images} shows it
 * @param references the names it is known by, normalised ({@code docker.io/library/busybox:latest})
 * @param repoDigests {@code name@sha256:...} of the manifest it was pulled by, as a Node's status.images lists them
 * @param size bytes of its compressed layers
 */
public record Image(String id, List<String> references, List<String> repoDigests, ImageConfig config, long size) {

    public Image {
        references = List.copyOf(references);
        repoDigests = List.copyOf(repoDigests);
    }
}
