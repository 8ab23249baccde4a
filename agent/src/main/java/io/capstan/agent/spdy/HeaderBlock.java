package io.capstan.agent.spdy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * SPDY/3 name/value header blocks: a count, then each name and value after its 32-bit length, compressed by
 * one zlib stream per direction for the whole connection (primed with {@link HeaderDictionary}) and flushed
 * after every block. Not thread-safe: each direction's frames are encoded or decoded one at a time.
 */
final class HeaderBlock {

    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    private final Inflater inflater = new Inflater();

    HeaderBlock() {
        deflater.setDictionary(HeaderDictionary.bytes());
    }

    /** The compressed block for these headers (names lower-cased, as spdystream writes them). */
    byte[] encode(Map<String, String> headers) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        writeInt(plain, headers.size());
        headers.forEach((name, value) -> {
            byte[] n = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            writeInt(plain, n.length);
            plain.writeBytes(n);
            writeInt(plain, v.length);
            plain.writeBytes(v);
        });
        deflater.setInput(plain.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length); // a full buffer may hold back part of the flush
        return out.toByteArray();
    }

    /** The headers of a compressed block. */
    Map<String, String> decode(byte[] compressed) throws IOException {
        inflater.setInput(compressed);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            while (true) {
                int n = inflater.inflate(buffer);
                plain.write(buffer, 0, n);
                if (n == 0) {
                    if (inflater.needsDictionary()) {
                        inflater.setDictionary(HeaderDictionary.bytes());
                    } else if (inflater.needsInput() || inflater.finished()) {
                        break;
                    }
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("malformed SPDY header block: " + e.getMessage(), e);
        }
        return parse(ByteBuffer.wrap(plain.toByteArray()));
    }

    private static Map<String, String> parse(ByteBuffer block) throws IOException {
        try {
            int count = block.getInt();
            if (count < 0 || count > block.remaining() / 8) {
                throw new IOException("malformed SPDY header block: " + count + " headers");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = string(block).toLowerCase(Locale.ROOT);
                headers.merge(name, string(block), (a, b) -> a + "\0" + b);
            }
            return headers;
        } catch (RuntimeException e) {
            throw new IOException("malformed SPDY header block", e);
        }
    }

    private static String string(ByteBuffer block) {
        byte[] bytes = new byte[block.getInt()];
        block.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    void close() {
        deflater.end();
        inflater.end();
    }
}
