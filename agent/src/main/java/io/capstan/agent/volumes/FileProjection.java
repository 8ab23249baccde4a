package io.capstan.agent.volumes;

import java.nio.charset.StandardCharsets;

/** One file of a projected volume: its bytes and its permission bits (e.g. 0644). */
public record FileProjection(byte[] data, int mode) {

    public static FileProjection of(String text, int mode) {
        return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
    }
}
