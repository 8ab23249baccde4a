package io.capstan.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.image.ImageException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The image store on a node's disk: blobs under ROOT/blobs, unpacked layers under ROOT/layers, image records
 * as JSON under ROOT/images, container roots under ROOT/containers. Pulls, imports and container roots run
 * side by side; removal and collection wait for them (a read-write lock), so no layer goes while in use.
 */
public final class LocalImageStore implements ImageStore {

    /**
     * @param root the store's directory
     * @param insecureRegistries registries ({@code host} or {@code host:port}) reached without verified TLS
     * @param caFiles PEM files of further CAs trusted for registries
     */
    public record Options(Path root, List<String> insecureRegistries, List<Path> caFiles) {
        public Options {
            insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
            caFiles = caFiles == null ? List.of() : List.copyOf(caFiles);
        }

        public static Options of(Path root) {
            return new Options(root, List.of(), List.of());
        }
    }

    private static final long ORPHAN_AGE_MILLIS = 3_600_000;

    private final Path root;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageRecords records;
    private final OverlayRootfs rootfs;
    private final RegistryClient registry;
    private final ArchiveImporter importer;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object names = new Object();
    private final Object[] containerLocks = new Object[64];

    public LocalImageStore(Options options) {
        this.root = options.root().toAbsolutePath();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create image store " + root, e);
        }
        this.blobs = new BlobStore(root);
        this.layers = new LayerStore(root);
        this.records = new ImageRecords(root);
        this.rootfs = new OverlayRootfs(root);
        this.registry = new RegistryClient(options.insecureRegistries(), options.caFiles());
        this.importer = new ArchiveImporter(blobs, root.resolve("tmp"));
        for (int i = 0; i < containerLocks.length; i++) {
            containerLocks[i] = new Object();
        }
    }

    /** One of a fixed set of locks, so that preparing and releasing the same container never overlap. */
    private Object containerLock(String containerId) {
        return containerLocks[Math.floorMod(containerId.hashCode(), containerLocks.length)];
    }

    @Override
    public Image pull(String reference, RegistryCredentials credentials, PullListener listener) {
        ImageReference ref = ImageReference.parse(reference);
        PullListener events = listener == null ? PullListener.NONE : listener;
        lock.readLock().lock();
        try {
            RegistryClient.Session session = registry.session(ref, credentials);
            List<String> docs = new ArrayList<>();
            RegistryClient.Fetched top = session.manifest(ref.manifestReference());
            String topDigest = verified(top.body(), ref.digest(), ref);
            blobs.put(topDigest, top.body());
            docs.add(topDigest);
            JsonNode doc = Oci.parse(top.body(), "manifest of " + ref);
            String mediaType = Oci.mediaType(doc, top.mediaType());
            for (int depth = 0; Oci.isIndex(mediaType, doc); depth++) {
                Oci.Descriptor chosen = Oci.selectPlatform(Oci.indexManifests(doc)).orElseThrow(() ->
                        new ImageException(Kind.NOT_FOUND, "image \"" + ref + "\" not found for platform linux/amd64 (no match in its index)"));
                if (depth > 4) {
                    throw new ImageException(Kind.INVALID, "indexes of " + ref + " nest too deep");
                }
                RegistryClient.Fetched m = session.manifest(chosen.digest());
                verified(m.body(), chosen.digest(), ref);
                blobs.put(chosen.digest(), m.body());
                docs.add(chosen.digest());
                doc = Oci.parse(m.body(), "manifest " + chosen.digest() + " of " + ref);
                mediaType = Oci.mediaType(doc, m.mediaType());
            }
            Oci.Manifest manifest = Oci.manifest(doc, "manifest of " + ref);
            if (!blobs.has(manifest.config().digest())) {
                session.blob(manifest.config().digest(), blobs);
            }
            for (Oci.Descriptor layer : manifest.layers()) {
                if (!blobs.has(layer.digest())) {
                    long n = session.blob(layer.digest(), blobs);
                    events.layer(layer.digest(), n);
                }
            }
            List<String> refs = ref.tag() != null ? List.of(ref.tagged()) : List.of();
            return commit(manifest.config().digest(), manifest.layers(), docs, refs, List.of(ref.name() + "@" + topDigest)).image();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store image " + ref + " in " + root, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Checks a document against the digest it was asked for (if any); returns its digest. */
    private static String verified(byte[] body, String expected, ImageReference ref) {
        String actual = Digests.sha256(body);
        if (expected != null && expected.startsWith("sha512:")) {
            java.security.MessageDigest md = Digests.newDigest("sha512");
            md.update(body);
            actual = Digests.format("sha512", md);
        }
        if (expected != null && !expected.equals(actual)) {
            throw new ImageException(Kind.INVALID, "manifest of " + ref + " failed verification: expected " + expected + ", got " + actual);
        }
        return actual;
    }

    /** Unpacks the layers, writes the record and moves the names onto it from whatever image had them. */
    private ImageRecord commit(String configDigest, List<Oci.Descriptor> layerBlobs, List<String> docs, List<String> refs,
                               List<String> repoDigests) throws IOException {
        Oci.Config config = Oci.config(blobs.read(configDigest), "image config " + configDigest);
        if (config.diffIds().size() != layerBlobs.size()) {
            throw new ImageException(Kind.INVALID, "image " + configDigest + " lists " + config.diffIds().size()
                    + " layers in its config but " + layerBlobs.size() + " in its manifest");
        }
        for (int i = 0; i < layerBlobs.size(); i++) {
            try {
                layers.ensure(config.diffIds().get(i), blobs, layerBlobs.get(i).digest());
            } catch (BlobStore.DigestMismatchException e) {
                throw new ImageException(Kind.INVALID, "layer " + layerBlobs.get(i).digest() + " of image " + configDigest
                        + " does not unpack to its diff id: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ImageException(Kind.INVALID, "cannot unpack layer " + layerBlobs.get(i).digest() + ": " + e.getMessage(), e);
            }
        }
        List<String> layerDigests = layerBlobs.stream().map(Oci.Descriptor::digest).toList();
        long size = layerBlobs.stream().mapToLong(d -> d.size() > 0 ? d.size() : blobs.size(d.digest())).sum();
        synchronized (names) {
            for (ImageRecord other : records.all()) {
                if (!other.id().equals(configDigest) && other.references().stream().anyMatch(refs::contains)) {
                    List<String> kept = other.references().stream().filter(r -> !refs.contains(r)).toList();
                    records.put(other.withNames(kept, kept.isEmpty() ? List.of() : other.repoDigests()));
                }
            }
            ImageRecord existing = records.get(configDigest).orElse(null);
            Set<String> allRefs = new LinkedHashSet<>(existing == null ? List.of() : existing.references());
            allRefs.addAll(refs);
            Set<String> allDigests = new LinkedHashSet<>(existing == null ? List.of() : existing.repoDigests());
            allDigests.addAll(repoDigests);
            Set<String> allBlobs = new LinkedHashSet<>(existing == null ? List.of() : existing.blobs());
            allBlobs.addAll(docs);
            allBlobs.add(configDigest);
            allBlobs.addAll(layerDigests);
            ImageRecord record = new ImageRecord(configDigest, List.copyOf(allRefs), List.copyOf(allDigests), config.config(), size,
                    List.copyOf(allBlobs), layerDigests, config.diffIds(), System.currentTimeMillis());
            records.put(record);
            return record;
        }
    }

    @Override
    public Optional<Image> find(String reference) {
        return findRecord(reference).map(ImageRecord::image);
    }

    private Optional<ImageRecord> findRecord(String reference) {
        List<ImageRecord> all = records.all();
        String s = reference.trim();
        if (s.startsWith("sha256:") || ImageReference.isImageId(s)) {
            String id = s.startsWith("sha256:") ? s : "sha256:" + s;
            Optional<ImageRecord> byId = all.stream().filter(r -> r.id().equals(id)).findFirst();
            if (byId.isPresent() || s.startsWith("sha256:")) {
                return byId;
            }
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(s);
        } catch (ImageException e) {
            ref = null;
        }
        if (ref != null) {
            ImageReference r = ref;
            Optional<ImageRecord> named = all.stream().filter(rec -> r.digest() != null
                    ? rec.repoDigests().contains(r.name() + "@" + r.digest())
                    : rec.references().contains(r.tagged())).findFirst();
            if (named.isPresent()) {
                return named;
            }
        }
        // A unique prefix of an image id, as crictl and docker accept.
        if (s.matches("[0-9a-f]{4,63}")) {
            List<ImageRecord> matches = all.stream().filter(rec -> Digests.hex(rec.id()).startsWith(s)).toList();
            if (matches.size() == 1) {
                return Optional.of(matches.getFirst());
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Image> list() {
        return records.all().stream().map(ImageRecord::image).toList();
    }

    @Override
    public void remove(String reference) {
        lock.writeLock().lock();
        try {
            ImageRecord record = findRecord(reference).orElseThrow(() ->
                    new ImageException(Kind.NOT_FOUND, "image \"" + reference + "\" not found"));
            List<String> kept = List.of();
            try {
                ImageReference ref = ImageReference.parse(reference);
                if (ref.digest() == null && record.references().contains(ref.tagged())) {
                    kept = record.references().stream().filter(r -> !r.equals(ref.tagged())).toList();
                }
            } catch (ImageException notAName) {
                // an image id: every name goes
            }
            if (!kept.isEmpty()) {
                records.put(record.withNames(kept, record.repoDigests()));
                return;
            }
            if (rootfs.imagesInUse().containsValue(record.id())) {
                // A container still runs from it: it stays, nameless, until collected.
                records.put(record.withNames(List.of(), List.of()));
                return;
            }
            delete(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes a record and whatever blobs and layers no other image holds; returns the bytes freed. */
    private long delete(ImageRecord record) throws IOException {
        records.delete(record.id());
        Set<String> keptBlobs = new HashSet<>();
        Set<String> keptLayers = new HashSet<>();
        for (ImageRecord other : records.all()) {
            keptBlobs.addAll(other.blobs());
            keptLayers.addAll(other.diffIds());
        }
        long freed = 0;
        for (String b : record.blobs()) {
            if (!keptBlobs.contains(b)) {
                freed += blobs.delete(b);
            }
        }
        for (String d : record.diffIds()) {
            if (!keptLayers.contains(d)) {
                freed += layers.delete(d);
            }
        }
        return freed;
    }

    @Override
    public List<Image> importArchive(Path archive) {
        lock.readLock().lock();
        try {
            List<Image> out = new ArrayList<>();
            for (ArchiveImporter.Found f : importer.read(archive)) {
                out.add(commit(f.configDigest(), f.layers(), f.blobs(), f.references(), f.repoDigests()).image());
            }
            return out;
        } catch (IOException e) {
            throw new ImageException(Kind.INVALID, "cannot import " + archive + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Path prepareRootfs(Image image, String containerId) {
        OverlayRootfs.checkId(containerId);
        lock.readLock().lock();
        try {
            synchronized (containerLock(containerId)) {
                if (rootfs.isMounted(containerId)) {
                    return rootfs.merged(containerId);
                }
                ImageRecord record = records.get(image.id()).orElseThrow(() ->
                        new ImageException(Kind.NOT_FOUND, "image " + image.id() + " is not in the store"));
                List<String> lowers = new ArrayList<>();
                for (int i = record.diffIds().size() - 1; i >= 0; i--) {
                    layers.ensure(record.diffIds().get(i), blobs, record.layers().get(i));
                    lowers.add(layers.lowerName(record.diffIds().get(i)));
                }
                Path merged = rootfs.mount(containerId, record.id(), lowers);
                synchronized (names) {
                    records.get(record.id()).ifPresent(r -> records.put(r.usedAt(System.currentTimeMillis())));
                }
                return merged;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the root filesystem of container " + containerId + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void releaseRootfs(String containerId) {
        OverlayRootfs.checkId(containerId);
        synchronized (containerLock(containerId)) {
            try {
                rootfs.release(containerId);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the root filesystem of container " + containerId + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * {@inheritDoc} Skipped (returning 0) while a pull, import or container start is under way, so that
     * collection never makes containers wait for a long pull; the agent calls it again later.
     */
    @Override
    public long collectGarbage(int highPercent) {
        if (!lock.writeLock().tryLock()) {
            return 0;
        }
        try {
            FileStore disk = Files.getFileStore(root);
            long freed = 0;
            for (ImageRecord r : collectable(records.all(), rootfs.imagesInUse().values())) {
                if (usedPercent(disk) < highPercent) {
                    break;
                }
                freed += delete(r);
            }
            return freed + sweepOrphans();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Deletes blobs and layers no image record holds, left by pulls and imports that failed half-way. Only
     * those an hour old: a {@code capstan image import} in another process may be about to record fresh ones.
     */
    private long sweepOrphans() throws IOException {
        Set<String> keptBlobs = new HashSet<>();
        Set<String> keptLayers = new HashSet<>();
        for (ImageRecord r : records.all()) {
            keptBlobs.addAll(r.blobs());
            keptLayers.addAll(r.diffIds());
        }
        long cutoff = System.currentTimeMillis() - ORPHAN_AGE_MILLIS;
        long freed = 0;
        for (String b : blobs.digests()) {
            if (!keptBlobs.contains(b) && olderThan(blobs.path(b), cutoff)) {
                freed += blobs.delete(b);
            }
        }
        for (String d : layers.diffIds()) {
            if (!keptLayers.contains(d) && layers.createdBefore(d, cutoff)) {
                freed += layers.delete(d);
            }
        }
        return freed;
    }

    private static boolean olderThan(Path p, long cutoffMillis) {
        try {
            return Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() < cutoffMillis;
        } catch (IOException e) {
            return false;
        }
    }

    /** The images garbage collection may remove, in the order it removes them: unused, least recently used first. */
    static List<ImageRecord> collectable(List<ImageRecord> all, Collection<String> inUse) {
        return all.stream().filter(r -> !inUse.contains(r.id())).sorted(Comparator.comparingLong(ImageRecord::lastUsed)).toList();
    }

    private static double usedPercent(FileStore disk) throws IOException {
        long total = disk.getTotalSpace();
        return total == 0 ? 0 : 100.0 * (total - disk.getUsableSpace()) / total;
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }
}
