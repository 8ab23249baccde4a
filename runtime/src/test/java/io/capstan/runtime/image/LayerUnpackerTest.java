package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {

    @TempDir
    Path dir;

    /** Builds a tar in memory, entry by entry. */
    private static final class Tar {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar dir(String name, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040000 | mode);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar file(String name, String content, int mode, int uid, int gid) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            e.setMode(0100000 | mode);
            e.setUserId(uid);
            e.setGroupId(gid);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        Tar link(String name, String target, byte type) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            out.finish();
            out.close();
            return bytes.toByteArray();
        }
    }

    private Path unpack(byte[] blob, byte[] uncompressed) throws IOException {
        Path target = dir.resolve("layer");
        new LayerUnpacker().unpack(new ByteArrayInputStream(blob), Digests.sha256(uncompressed), target);
        return target;
    }

    private Path unpack(byte[] tar) throws IOException {
        return unpack(tar, tar);
    }

    @Test
    void filesKeepModesOwnersAndLinks() throws Exception {
        byte[] tar = new Tar().dir("./", 0755).dir("bin", 0755).file("bin/tool", "#!/bin/sh\n", 04755, 0, 0)
                .file("home/app/data", "x", 0640, 1000, 2000)
                .link("bin/sh", "tool", TarConstants.LF_SYMLINK).link("bin/hard", "bin/tool", TarConstants.LF_LINK)
                .bytes();
        Path layer = unpack(tar);
        assertThat(Files.readString(layer.resolve("bin/tool"))).isEqualTo("#!/bin/sh\n");
        assertThat((int) Files.getAttribute(layer.resolve("bin/tool"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getAttribute(layer.resolve("home/app/data"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(layer.resolve("home/app/data"), "unix:gid")).isEqualTo(2000);
        assertThat((int) Files.getAttribute(layer.resolve("home/app/data"), "unix:mode") & 07777).isEqualTo(0640);
        assertThat(Files.readSymbolicLink(layer.resolve("bin/sh"))).isEqualTo(Path.of("tool"));
        assertThat(Files.getAttribute(layer.resolve("bin/hard"), "unix:ino")).isEqualTo(Files.getAttribute(layer.resolve("bin/tool"), "unix:ino"));
    }

    @Test
    void whiteoutsBecomeOverlayWhiteoutsAndOpaqueDirectories() throws Exception {
        byte[] tar = new Tar().dir("etc", 0755).file("etc/.wh.motd", "", 0644, 0, 0)
                .dir("var/cache", 0755).file("var/cache/.wh..wh..opq", "", 0644, 0, 0).file("var/cache/new", "n", 0644, 0, 0)
                .bytes();
        Path layer = unpack(tar);
        Path whiteout = layer.resolve("etc/motd");
        assertThat(Files.exists(layer.resolve("etc/.wh.motd"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        int mode = (int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode & 0170000).as("character device").isEqualTo(LinuxFiles.S_IFCHR);
        assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(LinuxFiles.getXattr(layer.resolve("var/cache"), LayerUnpacker.OPAQUE_XATTR)).isEqualTo("y".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.exists(layer.resolve("var/cache/.wh..wh..opq"))).isFalse();
        assertThat(Files.readString(layer.resolve("var/cache/new"))).isEqualTo("n");
        assertThat(LinuxFiles.getXattr(layer.resolve("etc"), LayerUnpacker.OPAQUE_XATTR)).isNull();
    }

    @Test
    void pathsClimbingOutOfTheLayerAreRejected() throws Exception {
        byte[] tar = new Tar().file("../../escaped", "x", 0644, 0, 0).bytes();
        assertThatThrownBy(() -> unpack(tar)).hasMessageContaining("outside the layer");
        assertThat(dir.getParent().resolve("escaped")).doesNotExist();
    }

    @Test
    void writingThroughASymlinkIsRejected() throws Exception {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        byte[] tar = new Tar().link("evil", outside.toString(), TarConstants.LF_SYMLINK).file("evil/planted", "x", 0644, 0, 0).bytes();
        assertThatThrownBy(() -> unpack(tar)).hasMessageContaining("symbolic link");
        assertThat(outside.resolve("planted")).doesNotExist();
    }

    @Test
    void hardLinkOutsideTheLayerIsRejected() throws Exception {
        byte[] tar = new Tar().link("passwd", "../../../etc/passwd", TarConstants.LF_LINK).bytes();
        assertThatThrownBy(() -> unpack(tar)).hasMessageContaining("outside the layer");
    }

    @Test
    void gzipAndZstdLayersUnpackAndAreCheckedAgainstTheUncompressedDigest() throws Exception {
        byte[] tar = new Tar().file("a", "gz", 0644, 0, 0).bytes();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(tar);
        }
        assertThat(Files.readString(unpack(gz.toByteArray(), tar).resolve("a"))).isEqualTo("gz");
        Trees.delete(dir.resolve("layer"));
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (OutputStream o = new ZstdOutputStream(zst)) {
            o.write(tar);
        }
        assertThat(Files.readString(unpack(zst.toByteArray(), tar).resolve("a"))).isEqualTo("gz");
    }

    @Test
    void diffIdMismatchIsRejected() throws Exception {
        byte[] tar = new Tar().file("a", "1", 0644, 0, 0).bytes();
        byte[] other = new Tar().file("a", "2", 0644, 0, 0).bytes();
        assertThatThrownBy(() -> unpack(tar, other)).isInstanceOf(BlobStore.DigestMismatchException.class);
    }
}
