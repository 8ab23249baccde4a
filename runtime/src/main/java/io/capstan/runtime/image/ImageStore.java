package io.capstan.runtime.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The node's images: pulled from OCI distribution registries or imported from archives, kept as
 * content-addressed blobs with each layer unpacked once and shared, and turned into a container's root
 * filesystem as an overlay mount.
 */
public interface ImageStore {

    /**
     * Pulls an image (linux/amd64 from an index), verifying every blob's digest, and names it by {@code reference}.
     *
     * @param credentials for the registry, or null for anonymous access (a token challenge is still answered)
     * @throws ImageException with a message fit for a pod's status when it cannot be pulled
     */
    Image pull(String reference, RegistryCredentials credentials, PullListener listener);

    /** The image a reference (name:tag, name@digest, or an image id) names here, if present. */
    Optional<Image> find(String reference);

    List<Image> list();

    /** Removes a reference; the image's blobs and layers go when no reference is left. */
    void remove(String reference);

    /** Imports every image in an OCI layout (directory or tar) or a {@code docker save} archive. */
    List<Image> importArchive(Path archive);

    /**
     * Mounts the image's layers with a fresh writable layer for one container and returns the merged
     * root. Calling it again for the same container id returns the same root (after an agent restart too).
     */
    Path prepareRootfs(Image image, String containerId);

    /** Unmounts and deletes a container's root filesystem. Unknown ids are ignored. */
    void releaseRootfs(String containerId);

    /**
     * Removes images that no container uses, least recently used first, until the disk holding the
     * store is below {@code highPercent} used; returns the bytes freed.
     */
    long collectGarbage(int highPercent);
}
