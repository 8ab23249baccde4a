package io.capstan.store;

/**
 * One change seen by a watch.
 *
 * @param type what happened
 * @param kv the key after the change; for DELETED, the last value with the delete's revision
 * @param prevKv the key before the change (null for CREATED)
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

    /** The kinds of change. */
    public enum Type { CREATED, UPDATED, DELETED }

    /** The revision of this change. */
    public long revision() {
        return kv.modRevision();
    }
}
