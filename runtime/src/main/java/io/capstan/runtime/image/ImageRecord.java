package io.capstan.runtime.image;

import java.util.List;

/**
 * What the store keeps about one image, as JSON in ROOT/images/HEX.json.
 *
 * @param blobs every blob the image holds on to (index, manifest, config, layers), so removal knows what may go
 * @param layers the compressed layer blobs, bottom first
 * @param diffIds the unpacked layers, bottom first, matching {@code layers}
 * @param lastUsed epoch millis of the last pull, import or container start, for least-recently-used collection
 */
record ImageRecord(String id, List<String> references, List<String> repoDigests, ImageConfig config, long size,
                   List<String> blobs, List<String> layers, List<String> diffIds, long lastUsed) {

    ImageRecord {
        references = List.copyOf(references);
        repoDigests = List.copyOf(repoDigests);
        blobs = List.copyOf(blobs);
        layers = List.copyOf(layers);
        diffIds = List.copyOf(diffIds);
    }

    Image image() {
        return new Image(id, references, repoDigests, config, size);
    }

    ImageRecord withNames(List<String> references, List<String> repoDigests) {
        return new ImageRecord(id, references, repoDigests, config, size, blobs, layers, diffIds, lastUsed);
    }

    ImageRecord withBlobs(List<String> blobs) {
        return new ImageRecord(id, references, repoDigests, config, size, blobs, layers, diffIds, lastUsed);
    }

    ImageRecord usedAt(long millis) {
        return new ImageRecord(id, references, repoDigests, config, size, blobs, layers, diffIds, millis);
    }
}
