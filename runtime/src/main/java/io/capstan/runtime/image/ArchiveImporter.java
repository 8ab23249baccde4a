package io.capstan.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.image.ImageException.Kind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an OCI image layout (a directory or a tar of one) or a {@code docker save} archive, copies its blobs
 * into the blob store (each verified against its digest) and says which images it holds and by what names.
 */
final class ArchiveImporter {

    /** One image found in an archive, its blobs already in the store. */
    record Found(String configDigest, List<Oci.Descriptor> layers, List<String> blobs, List<String> references,
                 List<String> repoDigests) {}

    private final BlobStore blobs;
    private final Path tmp;

    ArchiveImporter(BlobStore blobs, Path tmp) {
        this.blobs = blobs;
        this.tmp = tmp;
    }

    List<Found> read(Path archive) throws IOException {
        if (!Files.exists(archive)) {
            throw new ImageException(Kind.NOT_FOUND, "no such file: " + archive);
        }
        if (Files.isDirectory(archive)) {
            return readDirectory(archive);
        }
        Files.createDirectories(tmp);
        Path dir = Files.createTempDirectory(tmp, "import-");
        try {
            extract(archive, dir);
            return readDirectory(dir);
        } finally {
            Trees.delete(dir);
        }
    }

    private List<Found> readDirectory(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("index.json"))) {
            return readLayout(dir);
        }
        if (Files.isRegularFile(dir.resolve("manifest.json"))) {
            return readDockerArchive(dir);
        }
        throw new ImageException(Kind.INVALID, dir + " is neither an OCI image layout (index.json) nor a docker save archive (manifest.json)");
    }

    private List<Found> readLayout(Path dir) throws IOException {
        JsonNode index = Oci.parse(Files.readAllBytes(dir.resolve("index.json")), "index.json");
        List<Found> out = new ArrayList<>();
        for (Oci.Descriptor d : Oci.indexManifests(index)) {
            List<String> names = new ArrayList<>();
            List<String> repoDigests = new ArrayList<>();
            ImageReference ref = name(d);
            if (ref != null && ref.tag() != null) {
                names.add(ref.tagged());
                repoDigests.add(ref.name() + "@" + d.digest());
            }
            List<String> docs = new ArrayList<>();
            Oci.Descriptor current = d;
            JsonNode doc = document(dir, current, docs);
            for (int depth = 0; Oci.isIndex(current.mediaType(), doc); depth++) {
                Oci.Descriptor chosen = Oci.selectPlatform(Oci.indexManifests(doc)).orElseThrow(() ->
                        new ImageException(Kind.NOT_FOUND, "the archive's image " + d.digest() + " has no linux/amd64 variant"));
                if (depth > 4) {
                    throw new ImageException(Kind.INVALID, "indexes nested too deep in " + dir);
                }
                current = chosen;
                doc = document(dir, current, docs);
            }
            Oci.Manifest m = Oci.manifest(doc, "manifest " + current.digest());
            copy(dir, m.config().digest());
            for (Oci.Descriptor layer : m.layers()) {
                copy(dir, layer.digest());
            }
            out.add(new Found(m.config().digest(), m.layers(), docs, names, repoDigests));
        }
        return out;
    }

    /** The name a layout gives an image: containerd's full-name annotation, else the OCI ref name if it parses. */
    private static ImageReference name(Oci.Descriptor d) {
        String name = d.annotation(Oci.CONTAINERD_NAME) != null ? d.annotation(Oci.CONTAINERD_NAME) : d.annotation(Oci.REF_NAME);
        if (name == null) {
            return null;
        }
        try {
            return ImageReference.parse(name);
        } catch (ImageException e) {
            return null;
        }
    }

    private JsonNode document(Path dir, Oci.Descriptor d, List<String> docs) throws IOException {
        copy(dir, d.digest());
        docs.add(d.digest());
        JsonNode doc = Oci.parse(blobs.read(d.digest()), "document " + d.digest());
        return doc.has("mediaType") || d.mediaType() == null ? doc
                : ((com.fasterxml.jackson.databind.node.ObjectNode) doc.deepCopy()).put("mediaType", d.mediaType());
    }

    private void copy(Path dir, String digest) throws IOException {
        if (blobs.has(digest)) {
            return;
        }
        Path file = dir.resolve("blobs").resolve(Digests.algorithm(digest)).resolve(Digests.hex(digest));
        if (!Files.isRegularFile(file)) {
            throw new ImageException(Kind.INVALID, "the archive lacks blob " + digest);
        }
        try (InputStream in = Files.newInputStream(file)) {
            blobs.put(digest, in);
        } catch (BlobStore.DigestMismatchException e) {
            throw new ImageException(Kind.INVALID, "blob " + digest + " in the archive is corrupt: " + e.getMessage(), e);
        }
    }

    private List<Found> readDockerArchive(Path dir) throws IOException {
        JsonNode manifest = Oci.parse(Files.readAllBytes(dir.resolve("manifest.json")), "manifest.json");
        List<Found> out = new ArrayList<>();
        for (JsonNode entry : manifest) {
            byte[] config = Files.readAllBytes(inside(dir, entry.path("Config").asText()));
            String configDigest = Digests.sha256(config);
            blobs.put(configDigest, config);
            List<Oci.Descriptor> layers = new ArrayList<>();
            for (JsonNode l : entry.path("Layers")) {
                Path file = inside(dir, l.asText());
                String digest;
                try (InputStream in = Files.newInputStream(file)) {
                    digest = blobs.add(in);
                }
                layers.add(new Oci.Descriptor(null, digest, Files.size(file), null, java.util.Map.of()));
            }
            List<String> names = new ArrayList<>();
            for (JsonNode tag : entry.path("RepoTags")) {
                try {
                    ImageReference ref = ImageReference.parse(tag.asText());
                    if (ref.tag() != null) {
                        names.add(ref.tagged());
                    }
                } catch (ImageException e) {
                    // a tag Docker accepted and we cannot parse is left off rather than failing the import
                }
            }
            out.add(new Found(configDigest, layers, List.of(), names, List.of()));
        }
        return out;
    }

    private static Path inside(Path dir, String name) throws IOException {
        Path p = dir.resolve(name).normalize();
        if (name.isEmpty() || !p.startsWith(dir) || !p.toRealPath().startsWith(dir.toRealPath())) {
            throw new ImageException(Kind.INVALID, "the archive names a file outside itself: " + name);
        }
        return p;
    }

    /** Extracts files, directories and symlinks of an archive (plain or compressed tar), refusing escapes. */
    private static void extract(Path archive, Path dir) throws IOException {
        try (InputStream raw = LayerUnpacker.decompress(new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path rel = LayerUnpacker.relative(e.getName());
                if (rel == null) {
                    continue;
                }
                Path p = dir.resolve(rel);
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(p.getParent());
                    Path target = p.getParent().resolve(e.getLinkName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new ImageException(Kind.INVALID, "the archive's link " + e.getName() + " points outside it");
                    }
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else if (e.isFile()) {
                    Files.createDirectories(p.getParent());
                    if (!p.getParent().toRealPath().startsWith(dir.toRealPath())) {
                        throw new ImageException(Kind.INVALID, "the archive's entry " + e.getName() + " is written through a link");
                    }
                    try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        tar.transferTo(out);
                    }
                }
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("outside the layer")) {
                throw new ImageException(Kind.INVALID, "the archive " + archive + " has an entry outside itself", e);
            }
            throw e;
        }
    }
}
