package io.capstan.runtime.oci;

import java.util.Map;

/** A container as kept on disk beside its bundle: what the runtime was asked for and where its pieces are. */
record ContainerRecord(String id, String sandboxId, String name, Map<String, String> labels, String logPath,
                       String cgroupsPath, String createdAt) {}
