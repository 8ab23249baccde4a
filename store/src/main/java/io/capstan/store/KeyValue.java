package io.capstan.store;

/** One version of a key: its value and the revisions that created and last modified it. */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {}
