package io.capstan.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract every Store implementation keeps; each implementation's test extends this. */
public abstract class StoreContractTest {

    @TempDir
    protected Path dir;
    protected Store store;

    protected abstract Store newStore(Path dir);

    @BeforeEach
    void open() {
        store = newStore(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static byte[] v(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String s(KeyValue kv) {
        return new String(kv.value(), UTF_8);
    }

    @Test
    void createGetUpdateDeleteMoveTheRevision() {
        assertThat(store.currentRevision()).isZero();
        KeyValue a = store.create("/a/1", v("one"));
        assertThat(a.createRevision()).isEqualTo(a.modRevision()).isEqualTo(store.currentRevision());
        assertThat(store.get("/a/1")).map(StoreContractTest::s).contains("one");
        KeyValue b = store.update("/a/1", v("two"), a.modRevision());
        assertThat(b.modRevision()).isGreaterThan(a.modRevision());
        assertThat(b.createRevision()).isEqualTo(a.createRevision());
        KeyValue d = store.delete("/a/1", b.modRevision());
        assertThat(s(d)).isEqualTo("two");
        assertThat(d.modRevision()).isEqualTo(store.currentRevision());
        assertThat(store.get("/a/1")).isEmpty();
        KeyValue again = store.create("/a/1", v("three"));
        assertThat(again.createRevision()).isGreaterThan(d.modRevision());
    }

    @Test
    void casFailuresNameTheirCause() {
        KeyValue a = store.create("/k", v("1"));
        assertThatThrownBy(() -> store.create("/k", v("2"))).isInstanceOf(KeyExistsException.class);
        store.update("/k", v("2"), a.modRevision());
        assertThatThrownBy(() -> store.update("/k", v("3"), a.modRevision())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.delete("/k", a.modRevision())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.update("/missing", v("x"), 0)).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(KeyNotFoundException.class);
        assertThat(store.update("/k", v("4"), 0).value()).isEqualTo(v("4"));
    }

    @Test
    void rangeKeepsToItsPrefixPagesAndReadsThePast() {
        for (String k : List.of("/a/3", "/a/1", "/a/2", "/ab/x", "/b/1")) {
            store.create(k, v(k));
        }
        RangeResult all = store.range("/a/", null, 0, 0);
        assertThat(all.items()).extracting(KeyValue::key).containsExactly("/a/1", "/a/2", "/a/3");
        assertThat(all.more()).isFalse();
        assertThat(all.revision()).isEqualTo(store.currentRevision());

        RangeResult page = store.range("/a/", null, 2, 0);
        assertThat(page.items()).extracting(KeyValue::key).containsExactly("/a/1", "/a/2");
        assertThat(page.more()).isTrue();
        assertThat(page.remaining()).isEqualTo(1);
        RangeResult rest = store.range("/a/", "/a/2", 2, page.revision());
        assertThat(rest.items()).extracting(KeyValue::key).containsExactly("/a/3");
        assertThat(rest.more()).isFalse();

        long before = store.currentRevision();
        store.delete("/a/1", 0);
        store.update("/a/2", v("changed"), 0);
        assertThat(store.range("/a/", null, 0, before).items()).extracting(StoreContractTest::s).containsExactly("/a/1", "/a/2", "/a/3");
        assertThat(store.range("/a/", null, 0, 0).items()).extracting(StoreContractTest::s).containsExactly("changed", "/a/3");
        assertThatThrownBy(() -> store.range("/a/", null, 0, store.currentRevision() + 5)).isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void watchReplaysHistoryThenFollowsLiveChanges() throws Exception {
        KeyValue a = store.create("/w/a", v("1"));
        store.update("/w/a", v("2"), 0);
        store.create("/other/x", v("x"));
        try (Watch w = store.watch("/w/", a.modRevision() - 1)) {
            store.delete("/w/a", 0);
            WatchEvent e1 = w.next(Duration.ofSeconds(5));
            WatchEvent e2 = w.next(Duration.ofSeconds(5));
            WatchEvent e3 = w.next(Duration.ofSeconds(5));
            assertThat(List.of(e1.type(), e2.type(), e3.type()))
                    .containsExactly(WatchEvent.Type.CREATED, WatchEvent.Type.UPDATED, WatchEvent.Type.DELETED);
            assertThat(s(e2.prevKv())).isEqualTo("1");
            assertThat(s(e3.kv())).isEqualTo("2");
            assertThat(w.next(Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void watchOpenedDuringConcurrentWritesMissesAndRepeatsNothing() throws Exception {
        int writers = 8;
        int perWriter = 300;
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        store.create("/race/" + id + "/" + i, v("x"));
                    }
                }));
            }
            while (store.currentRevision() < writers * perWriter / 4) {
                Thread.onSpinWait();
            }
            long from = store.currentRevision();
            try (Watch w = store.watch("/race/", from)) {
                for (Future<?> f : futures) {
                    f.get();
                }
                long expected = from + 1;
                long end = store.currentRevision();
                while (expected <= end) {
                    WatchEvent e = w.next(Duration.ofSeconds(5));
                    assertThat(e).as("event for revision %d", expected).isNotNull();
                    assertThat(e.revision()).isEqualTo(expected);
                    expected++;
                }
                assertThat(w.next(Duration.ofMillis(50))).isNull();
            }
        }
    }

    @Test
    void compactionRemovesHistoryButKeepsLiveValues() throws Exception {
        KeyValue a = store.create("/c/a", v("1"));
        store.update("/c/a", v("2"), 0);
        store.create("/c/b", v("b"));
        store.delete("/c/b", 0);
        long compactAt = store.currentRevision();
        store.create("/c/c", v("c"));
        store.compact(compactAt);
        assertThat(store.compactedRevision()).isEqualTo(compactAt);
        assertThatThrownBy(() -> store.range("/c/", null, 0, a.modRevision())).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> store.watch("/c/", a.modRevision())).isInstanceOf(CompactedException.class);
        assertThat(store.range("/c/", null, 0, 0).items()).extracting(StoreContractTest::s).containsExactly("2", "c");
        assertThat(store.range("/c/", null, 0, compactAt).items()).extracting(StoreContractTest::s).containsExactly("2");
        try (Watch w = store.watch("/c/", compactAt)) {
            assertThat(w.next(Duration.ofSeconds(5)).kv().key()).isEqualTo("/c/c");
        }
    }

    @Test
    void slowWatchersAndClosedStoresEndWatches() throws Exception {
        Watch slow = store.watch("/s/", store.currentRevision());
        for (int i = 0; i < 10_050; i++) {
            store.create("/s/" + i, v("x"));
        }
        assertThatThrownBy(() -> {
            while (true) {
                slow.next(Duration.ofSeconds(1));
            }
        }).isInstanceOf(WatchClosedException.class);
        Watch open = store.watch("/t/", store.currentRevision());
        store.close();
        assertThatThrownBy(() -> open.next(Duration.ofSeconds(1))).isInstanceOf(WatchClosedException.class);
        store = newStore(dir);
    }

    @Test
    void everythingSurvivesReopening() {
        store.create("/d/1", v("1"));
        store.update("/d/1", v("2"), 0);
        store.create("/d/2", v("x"));
        store.delete("/d/2", 0);
        long rev = store.currentRevision();
        store.compact(rev - 1);
        store.close();
        store = newStore(dir);
        assertThat(store.currentRevision()).isEqualTo(rev);
        assertThat(store.compactedRevision()).isEqualTo(rev - 1);
        assertThat(store.get("/d/1")).map(StoreContractTest::s).contains("2");
        assertThat(store.get("/d/2")).isEmpty();
        assertThat(store.create("/d/3", v("3")).modRevision()).isEqualTo(rev + 1);
    }
}
