package io.capstan.runtime.image;

import java.util.List;
import java.util.Map;

/** What an image says about running it (the OCI image config's "config" object). */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
                          Map<String, String> labels, String stopSignal) {

    public ImageConfig {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
