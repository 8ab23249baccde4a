package io.capstan.agent.spdy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class SpdyCodecTest {

    /**
     * Two header blocks as another zlib (Python's, level 9, the SPDY/3 dictionary, a sync flush after each) compressed
     * kubectl's error and data stream headers: the second block refers back into the first's context.
     */
    private static final byte[] ERROR_HEADERS = HexFormat.of().parseHex(
            "78f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c6061606100a4398b20d198094ade8c0600000000ffff");
    private static final byte[] DATA_HEADERS = HexFormat.of().parseHex("c2aa19540e2512d60b000000ffff");

    @Test
    void dictionaryIsTheSpdy3OneByItsChecksum() {
        byte[] dictionary = HeaderDictionary.bytes();
        Adler32 adler = new Adler32();
        adler.update(dictionary);
        assertThat(dictionary).hasSize(1423);
        // zlib names the dictionary by its Adler-32 in the stream header (bytes 2..5 of the first block).
        assertThat((int) adler.getValue()).isEqualTo(ByteBuffer.wrap(ERROR_HEADERS, 2, 4).getInt());
    }

    @Test
    void readsSynStreamsCompressedByAnotherZlibAcrossOneContext() throws IOException {
        byte[] wire = concat(synStream(1, ERROR_HEADERS), synStream(3, DATA_HEADERS));
        InputStream in = new ByteArrayInputStream(wire);
        try (SpdyCodec codec = new SpdyCodec()) {
            SpdyFrame.SynStream error = (SpdyFrame.SynStream) codec.read(in);
            SpdyFrame.SynStream data = (SpdyFrame.SynStream) codec.read(in);
            assertThat(error.streamId()).isEqualTo(1);
            assertThat(error.headers()).containsExactly(Map.entry("streamtype", "error"), Map.entry("port", "8080"), Map.entry("requestid", "0"));
            assertThat(data.streamId()).isEqualTo(3);
            assertThat(data.headers()).containsEntry("streamtype", "data").containsEntry("requestid", "0");
            assertThat(codec.read(in)).isNull();
        }
    }

    @Test
    void everyFrameSurvivesARoundTrip() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Port", "80");
        headers.put("x", "a\0b");
        List<SpdyFrame> frames = List.of(new SpdyFrame.SynStream(5, 0, 2, false, headers),
                new SpdyFrame.SynReply(5, false, Map.of()), new SpdyFrame.Headers(5, true, Map.of("k", "v")),
                new SpdyFrame.Data(5, true, "hello".getBytes()), new SpdyFrame.Data(7, false, new byte[0]),
                new SpdyFrame.RstStream(5, SpdyFrame.CANCEL), new SpdyFrame.Ping(7), new SpdyFrame.GoAway(9, 0),
                new SpdyFrame.WindowUpdate(5, 65536), new SpdyFrame.Other(4, 1, new byte[] {0, 0, 0, 0}));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (SpdyCodec writer = new SpdyCodec()) {
            frames.forEach(f -> wire.writeBytes(writer.encode(f)));
        }
        InputStream in = new ByteArrayInputStream(wire.toByteArray());
        try (SpdyCodec reader = new SpdyCodec()) {
            SpdyFrame.SynStream syn = (SpdyFrame.SynStream) reader.read(in);
            assertThat(syn.priority()).isEqualTo(2);
            assertThat(syn.headers()).containsExactly(Map.entry("port", "80"), Map.entry("x", "a\0b")); // names lower-cased
            assertThat(reader.read(in)).isEqualTo(frames.get(1));
            assertThat(reader.read(in)).isEqualTo(frames.get(2));
            SpdyFrame.Data data = (SpdyFrame.Data) reader.read(in);
            assertThat(data.fin()).isTrue();
            assertThat(data.data()).asString().isEqualTo("hello");
            SpdyFrame.Data empty = (SpdyFrame.Data) reader.read(in);
            assertThat(empty.streamId()).isEqualTo(7);
            assertThat(empty.fin()).isFalse();
            for (SpdyFrame expected : frames.subList(5, 9)) {
                assertThat(reader.read(in)).isEqualTo(expected);
            }
            SpdyFrame.Other settings = (SpdyFrame.Other) reader.read(in);
            assertThat(settings.type()).isEqualTo(4);
            assertThat(settings.payload()).containsExactly(0, 0, 0, 0);
        }
    }

    @Test
    void encodesFrameHeadersAsTheSpecLaysThemOut() {
        try (SpdyCodec codec = new SpdyCodec()) {
            assertThat(codec.encode(new SpdyFrame.Ping(1))).containsExactly(0x80, 0x03, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1);
            assertThat(codec.encode(new SpdyFrame.RstStream(3, SpdyFrame.REFUSED_STREAM)))
                    .containsExactly(0x80, 0x03, 0x00, 0x03, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0, 3);
            assertThat(codec.encode(new SpdyFrame.Data(3, true, new byte[] {'h', 'i'})))
                    .containsExactly(0, 0, 0, 3, 0x01, 0, 0, 2, 'h', 'i');
        }
    }

    @Test
    void rejectsOtherVersionsAndTruncatedFrames() {
        try (SpdyCodec codec = new SpdyCodec()) {
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(new byte[] {(byte) 0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1})))
                    .hasMessageContaining("unsupported SPDY version 2");
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 1, 0, 0, 0, 9, 'x'})))
                    .isInstanceOf(IOException.class);
        }
    }

    private static byte[] synStream(int id, byte[] block) {
        ByteBuffer b = ByteBuffer.allocate(18 + block.length);
        b.putShort((short) 0x8003).putShort((short) 1).putInt(10 + block.length).putInt(id).putInt(0).put((byte) 0).put((byte) 0).put(block);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
