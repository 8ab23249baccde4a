package io.capstan.agent.pods;

import io.capstan.runtime.image.Image;
import io.capstan.runtime.image.ImageConfig;
import io.capstan.runtime.image.ImageException;
import io.capstan.runtime.image.ImageStore;
import io.capstan.runtime.image.PullListener;
import io.capstan.runtime.image.RegistryCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An image store in memory: a registry of images that can be pulled, and what is present. */
final class FakeImages implements ImageStore {

    final Map<String, Image> registry = new HashMap<>();
    final Map<String, Image> present = new HashMap<>();
    final List<String> pulls = new ArrayList<>();
    private final Path roots;

    FakeImages(Path roots) {
        this.roots = roots;
    }

    /** Puts an image in the fake registry, running cmd by default as user. */
    Image offer(String ref, String user, String... cmd) {
        Image image = new Image("sha256:" + Integer.toHexString(ref.hashCode()), List.of(ref), List.of(ref + "@sha256:abc"),
                new ImageConfig(List.of(), List.of(cmd), List.of("PATH=/bin"), "/", user, Map.of(), null), 1234);
        registry.put(ref, image);
        return image;
    }

    @Override
    public Image pull(String reference, RegistryCredentials credentials, PullListener listener) {
        pulls.add(reference);
        Image image = registry.get(reference);
        if (image == null) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "reference " + reference + " not found");
        }
        present.put(reference, image);
        return image;
    }

    @Override
    public Optional<Image> find(String reference) {
        return Optional.ofNullable(present.get(reference));
    }

    @Override
    public List<Image> list() {
        return List.copyOf(present.values());
    }

    @Override
    public void remove(String reference) {
        present.remove(reference);
    }

    @Override
    public List<Image> importArchive(Path archive) {
        return List.of();
    }

    @Override
    public Path prepareRootfs(Image image, String containerId) {
        return roots.resolve(containerId);
    }

    @Override
    public void releaseRootfs(String containerId) {}

    @Override
    public long collectGarbage(int highPercent) {
        return 0;
    }
}
