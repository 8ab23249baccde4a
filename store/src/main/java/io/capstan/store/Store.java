package io.capstan.store;

import java.util.Optional;

/**
 * A revisioned key-value store with watch: the cluster's single source of truth.
 *
 * <p>Every write gets the next global revision; a key's {@code modRevision} is the
 * revision of its last write and serves as the object's resourceVersion. Reads at a
 * past revision and watches from a past revision work until that revision is compacted.
 */
public interface Store extends AutoCloseable {

    /** The newest revision written (0 when nothing was ever written). */
    long currentRevision();

    /** Revisions at or below this one may have been compacted; 0 when nothing was. */
    long compactedRevision();

    /** The live value of key now. */
    Optional<KeyValue> get(String key);

    /**
     * Live keys starting with {@code prefix}, in key order, strictly after {@code startAfter}
     * (null: from the first), at most {@code limit} of them (0: no limit), as they were at
     * {@code revision} (0: now).
     *
     * @throws CompactedException when revision is below the compacted revision
     * @throws FutureRevisionException when revision is above the current revision
     */
    RangeResult range(String prefix, String startAfter, int limit, long revision);

    /** Creates key. @throws KeyExistsException when key is live already. */
    KeyValue create(String key, byte[] value);

    /**
     * Replaces key's value when its modRevision equals {@code expectedModRevision}
     * (0: whatever it is).
     *
     * @throws KeyNotFoundException when key is not live
     * @throws ConflictException when the modRevision differs
     */
    KeyValue update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes key when its modRevision equals {@code expectedModRevision} (0: whatever it is).
     * Returns the deleted value with the delete's revision as modRevision.
     *
     * @throws KeyNotFoundException when key is not live
     * @throws ConflictException when the modRevision differs
     */
    KeyValue delete(String key, long expectedModRevision);

    /**
     * Every change to keys under {@code prefix} with a revision strictly greater than
     * {@code afterRevision}, in revision order, none missed, none repeated.
     *
     * @throws CompactedException when afterRevision is below the compacted revision
     */
    Watch watch(String prefix, long afterRevision);

    /** Drops history at or below revision; the newest live value of every key stays. */
    void compact(long revision);

    @Override
    void close();
}
