package io.capstan.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** What /version says: Kubernetes 1.32, so kubectl's dispatcher picks its 1.32 client. */
public final class VersionInfo {

    public static final String GIT_VERSION = "v1.32.0-capstan";

    private VersionInfo() {}

    public static ObjectNode document() {
        return Json.object().put("major", "1").put("minor", "32").put("gitVersion", GIT_VERSION)
                .put("gitCommit", "0000000000000000000000000000000000000000").put("gitTreeState", "clean")
                .put("buildDate", "2026-11-24T00:00:00Z").put("goVersion", "java" + Runtime.version().feature())
                .put("compiler", "javac").put("platform", "linux/" + arch());
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
