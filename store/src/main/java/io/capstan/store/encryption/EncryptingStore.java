package io.capstan.store.encryption;

import io.capstan.store.ConflictException;
import io.capstan.store.KeyValue;
import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import io.capstan.store.Watch;
import io.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.Optional;

/**
 * A store whose values under one key prefix pass through a transformer: written transformed, read (get, range,
 * watch events and their previous values) back in the clear, so everything above sees plain objects and the
 * store's file holds only the transformed bytes.
 */
public final class EncryptingStore implements Store {

    private final Store delegate;
    private final String prefix;
    private final ValueTransformer transformer;

    public EncryptingStore(Store delegate, String prefix, ValueTransformer transformer) {
        this.delegate = delegate;
        this.prefix = prefix;
        this.transformer = transformer;
    }

    @Override
    public long currentRevision() {
        return delegate.currentRevision();
    }

    @Override
    public long compactedRevision() {
        return delegate.compactedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return delegate.get(key).map(this::read);
    }

    @Override
    public RangeResult range(String rangePrefix, String startAfter, int limit, long revision) {
        RangeResult r = delegate.range(rangePrefix, startAfter, limit, revision);
        if (!overlaps(rangePrefix)) {
            return r;
        }
        return new RangeResult(r.items().stream().map(this::read).toList(), r.revision(), r.more(), r.remaining());
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        return plain(delegate.create(key, write(key, value)), value);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        try {
            return plain(delegate.update(key, write(key, value), expectedModRevision), value);
        } catch (ConflictException e) {
            throw new ConflictException(key, expectedModRevision, read(e.current()));
        }
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        try {
            return read(delegate.delete(key, expectedModRevision));
        } catch (ConflictException e) {
            throw new ConflictException(key, expectedModRevision, read(e.current()));
        }
    }

    @Override
    public Watch watch(String watchPrefix, long afterRevision) {
        Watch watch = delegate.watch(watchPrefix, afterRevision);
        if (!overlaps(watchPrefix)) {
            return watch;
        }
        return new Watch() {
            @Override
            public WatchEvent next(Duration timeout) throws InterruptedException {
                WatchEvent e = watch.next(timeout);
                return e == null ? null : new WatchEvent(e.type(), read(e.kv()), e.prevKv() == null ? null : read(e.prevKv()));
            }

            @Override
            public void close() {
                watch.close();
            }
        };
    }

    @Override
    public void compact(long revision) {
        delegate.compact(revision);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Whether a range or watch under other could return keys under this store's prefix. */
    private boolean overlaps(String other) {
        return other.startsWith(prefix) || prefix.startsWith(other);
    }

    private byte[] write(String key, byte[] value) {
        return key.startsWith(prefix) ? transformer.toStorage(key, value) : value;
    }

    private KeyValue read(KeyValue kv) {
        if (!kv.key().startsWith(prefix) || kv.value() == null) {
            return kv;
        }
        return new KeyValue(kv.key(), transformer.fromStorage(kv.key(), kv.value()), kv.createRevision(), kv.modRevision());
    }

    private static KeyValue plain(KeyValue stored, byte[] value) {
        return new KeyValue(stored.key(), value, stored.createRevision(), stored.modRevision());
    }
}
