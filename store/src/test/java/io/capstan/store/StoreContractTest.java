package io.capstan.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.capstan.store.WatchEvent.Type;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Store} keeps. An implementation's test extends this, says how to open
 * its store, and so runs every test here; it needs an accessible no-argument constructor, since the
 * crash test opens the store again in a child JVM.
 */
public abstract class StoreContractTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(100);

    @TempDir
    protected Path dir;
    protected Store store;

    /** Opens the store kept in dir; opening the same dir again finds everything written before. */
    protected abstract Store newStore(Path dir);

    /** How many unread events a watch may hold before the store ends it. */
    protected int watchBacklogLimit() {
        return 10_000;
    }

    @BeforeEach
    void openStore() {
        store = newStore(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // --- create, get, update, delete

    @Test
    void aNewStoreIsEmptyAtRevisionZero() {
        assertThat(store.currentRevision()).isZero();
        assertThat(store.compactedRevision()).isZero();
        assertThat(store.get("/a")).isEmpty();
        RangeResult all = store.range("", null, 0, 0);
        assertThat(all.items()).isEmpty();
        assertThat(all.more()).isFalse();
    }

    @Test
    void createStoresTheValueAtTheNextRevision() {
        long before = store.currentRevision();
        KeyValue kv = store.create("/a/1", bytes("one"));
        assertThat(kv.key()).isEqualTo("/a/1");
        assertThat(text(kv)).isEqualTo("one");
        assertThat(kv.modRevision()).isGreaterThan(before).isEqualTo(kv.createRevision()).isEqualTo(store.currentRevision());
        assertThat(store.get("/a/1")).hasValueSatisfying(got -> {
            assertThat(text(got)).isEqualTo("one");
            assertThat(got.modRevision()).isEqualTo(kv.modRevision());
            assertThat(got.createRevision()).isEqualTo(kv.createRevision());
        });
        assertThat(store.get("/a/2")).isEmpty();
    }

    @Test
    void valuesAreStoredByteForByte() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        store.create("/bin", every);
        store.create("/empty", new byte[0]);
        assertThat(store.get("/bin")).map(KeyValue::value).hasValue(every);
        assertThat(store.get("/empty")).map(KeyValue::value).hasValue(new byte[0]);
    }

    @Test
    void everyWriteGetsAHigherRevision() {
        long r1 = store.create("/k", bytes("1")).modRevision();
        long r2 = store.update("/k", bytes("2"), r1).modRevision();
        long r3 = store.create("/j", bytes("1")).modRevision();
        long r4 = store.delete("/k", r2).modRevision();
        assertThat(List.of(r1, r2, r3, r4)).isSorted().doesNotHaveDuplicates();
        assertThat(store.currentRevision()).isEqualTo(r4);
    }

    @Test
    void createOfALiveKeyFailsWithKeyExists() {
        KeyValue first = store.create("/k", bytes("1"));
        assertThatThrownBy(() -> store.create("/k", bytes("2"))).isInstanceOf(KeyExistsException.class);
        assertThat(store.get("/k")).map(StoreContractTest::text).hasValue("1");
        assertThat(store.currentRevision()).isEqualTo(first.modRevision());
    }

    @Test
    void createAfterDeleteStartsANewLife() {
        store.create("/k", bytes("1"));
        KeyValue deleted = store.delete("/k", 0);
        KeyValue again = store.create("/k", bytes("2"));
        assertThat(again.createRevision()).isEqualTo(again.modRevision()).isGreaterThan(deleted.modRevision());
    }

    @Test
    void updateSwapsOnlyAtTheExpectedModRevision() {
        KeyValue created = store.create("/k", bytes("1"));
        KeyValue updated = store.update("/k", bytes("2"), created.modRevision());
        assertThat(text(updated)).isEqualTo("2");
        assertThat(updated.createRevision()).isEqualTo(created.createRevision());
        assertThat(updated.modRevision()).isGreaterThan(created.modRevision());

        assertThatThrownBy(() -> store.update("/k", bytes("stale"), created.modRevision()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.current().modRevision()).isEqualTo(updated.modRevision());
                    assertThat(text(e.current())).isEqualTo("2");
                });
        assertThat(store.get("/k")).map(StoreContractTest::text).hasValue("2");
        assertThat(text(store.update("/k", bytes("any"), 0))).isEqualTo("any");
    }

    @Test
    void deleteSwapsOnlyAtTheExpectedModRevisionAndReturnsTheLastValue() {
        KeyValue created = store.create("/k", bytes("1"));
        KeyValue updated = store.update("/k", bytes("2"), 0);
        assertThatThrownBy(() -> store.delete("/k", created.modRevision())).isInstanceOf(ConflictException.class);
        assertThat(store.get("/k")).isPresent();

        KeyValue deleted = store.delete("/k", updated.modRevision());
        assertThat(text(deleted)).isEqualTo("2");
        assertThat(deleted.modRevision()).isGreaterThan(updated.modRevision()).isEqualTo(store.currentRevision());
        assertThat(deleted.createRevision()).isEqualTo(created.createRevision());
        assertThat(store.get("/k")).isEmpty();
    }

    @Test
    void updateAndDeleteOfAbsentKeysFailWithKeyNotFound() {
        assertThatThrownBy(() -> store.update("/never", bytes("x"), 0)).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/never", 0)).isInstanceOf(KeyNotFoundException.class);
        KeyValue kv = store.create("/gone", bytes("x"));
        store.delete("/gone", 0);
        assertThatThrownBy(() -> store.update("/gone", bytes("y"), kv.modRevision())).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/gone", 0)).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void concurrentCompareAndSwapsLoseNoIncrement() throws Exception {
        store.create("/counter", bytes("0"));
        int threads = 8;
        int increments = 50;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < increments; ) {
                        KeyValue kv = store.get("/counter").orElseThrow();
                        try {
                            store.update("/counter", bytes(String.valueOf(Integer.parseInt(text(kv)) + 1)), kv.modRevision());
                            i++;
                        } catch (ConflictException e) {
                            // another writer won this round: read again and retry
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(store.get("/counter")).map(StoreContractTest::text).hasValue(String.valueOf(threads * increments));
    }

    // --- range

    @Test
    void rangeReturnsTheLiveKeysUnderThePrefixInKeyOrder() {
        for (String k : List.of("/a/3", "/a/1", "/a/2/deep", "/ab/x", "/a", "/b/1", "/a/gone")) {
            store.create(k, bytes(k));
        }
        store.delete("/a/gone", 0);
        RangeResult all = store.range("/a/", null, 0, 0);
        assertThat(all.items()).extracting(KeyValue::key).containsExactly("/a/1", "/a/2/deep", "/a/3");
        assertThat(all.items()).extracting(StoreContractTest::text).containsExactly("/a/1", "/a/2/deep", "/a/3");
        assertThat(all.more()).isFalse();
        assertThat(all.remaining()).isZero();
        assertThat(all.revision()).isEqualTo(store.currentRevision());
        assertThat(store.range("", null, 0, 0).items()).extracting(KeyValue::key)
                .containsExactly("/a", "/a/1", "/a/2/deep", "/a/3", "/ab/x", "/b/1");
    }

    @Test
    void rangePagesWithStartAfterAndLimitAtOneRevision() {
        for (int i = 0; i < 10; i++) {
            store.create(String.format("/p/%02d", i), bytes("v" + i));
        }
        store.create("/q/after-the-prefix", bytes("x"));
        RangeResult first = store.range("/p/", null, 3, 0);
        assertThat(first.items()).extracting(KeyValue::key).containsExactly("/p/00", "/p/01", "/p/02");
        assertThat(first.more()).isTrue();
        assertThat(first.remaining()).isEqualTo(7);

        // Writes between pages must not show in a paged read pinned to the first page's revision.
        store.create("/p/055", bytes("new"));
        store.delete("/p/07", 0);
        List<String> keys = new ArrayList<>(first.items().stream().map(KeyValue::key).toList());
        RangeResult page = first;
        while (page.more()) {
            page = store.range("/p/", keys.getLast(), 3, first.revision());
            assertThat(page.revision()).isEqualTo(first.revision());
            assertThat(page.remaining()).isEqualTo(10 - keys.size() - page.items().size());
            page.items().forEach(kv -> keys.add(kv.key()));
        }
        assertThat(keys).containsExactly("/p/00", "/p/01", "/p/02", "/p/03", "/p/04", "/p/05", "/p/06", "/p/07", "/p/08", "/p/09");
        assertThat(store.range("/p/", "/p/045", 2, 0).items()).extracting(KeyValue::key).containsExactly("/p/05", "/p/055");
        assertThat(store.range("/p/", "/a", 1, 0).items()).extracting(KeyValue::key).containsExactly("/p/00");
    }

    @Test
    void remainingCountsOnlyLiveKeys() {
        for (int i = 0; i < 6; i++) {
            store.create("/r/" + i, bytes("x"));
        }
        store.delete("/r/3", 0);
        store.delete("/r/5", 0);
        RangeResult page = store.range("/r/", null, 1, 0);
        assertThat(page.more()).isTrue();
        assertThat(page.remaining()).isEqualTo(3);
        RangeResult exact = store.range("/r/", null, 4, 0);
        assertThat(exact.items()).hasSize(4);
        assertThat(exact.more()).isFalse();
        assertThat(exact.remaining()).isZero();
    }

    @Test
    void rangeAtAPastRevisionSeesTheKeysAsTheyWere() {
        for (String k : List.of("/a/1", "/a/2", "/a/3")) {
            store.create(k, bytes(k));
        }
        long before = store.currentRevision();
        store.delete("/a/1", 0);
        store.update("/a/2", bytes("changed"), 0);
        store.create("/a/4", bytes("later"));

        RangeResult past = store.range("/a/", null, 0, before);
        assertThat(past.revision()).isEqualTo(before);
        assertThat(past.items()).extracting(StoreContractTest::text).containsExactly("/a/1", "/a/2", "/a/3");
        assertThat(past.items()).allSatisfy(kv -> assertThat(kv.modRevision()).isLessThanOrEqualTo(before));
        assertThat(store.range("/a/", null, 0, 0).items()).extracting(StoreContractTest::text).containsExactly("changed", "/a/3", "later");
        assertThat(store.range("/a/", null, 1, before).remaining()).isEqualTo(2);
    }

    @Test
    void rangeAboveTheCurrentRevisionFailsWithFutureRevision() {
        store.create("/a", bytes("x"));
        assertThatThrownBy(() -> store.range("/", null, 0, store.currentRevision() + 1)).isInstanceOf(FutureRevisionException.class);
    }

    // --- watch

    @Test
    void watchReplaysHistoryThenFollowsLiveChanges() throws Exception {
        KeyValue created = store.create("/w/a", bytes("1"));
        KeyValue updated = store.update("/w/a", bytes("2"), 0);
        store.create("/other/x", bytes("x"));
        try (Watch w = store.watch("/w/", created.modRevision() - 1)) {
            KeyValue deleted = store.delete("/w/a", 0);
            List<WatchEvent> events = take(w, 3);
            assertThat(events).extracting(WatchEvent::type).containsExactly(Type.CREATED, Type.UPDATED, Type.DELETED);
            assertThat(events).extracting(WatchEvent::revision)
                    .containsExactly(created.modRevision(), updated.modRevision(), deleted.modRevision());
            assertThat(events.get(0).prevKv()).isNull();
            assertThat(text(events.get(1).kv())).isEqualTo("2");
            assertThat(text(events.get(1).prevKv())).isEqualTo("1");
            assertThat(events.get(1).prevKv().modRevision()).isEqualTo(created.modRevision());
            assertThat(text(events.get(2).kv())).isEqualTo("2");
            assertThat(events.get(2).kv().createRevision()).isEqualTo(created.createRevision());
            assertThat(text(events.get(2).prevKv())).isEqualTo("2");
            assertThat(events.get(2).prevKv().modRevision()).isEqualTo(updated.modRevision());
            assertThat(w.next(QUIET)).isNull();
        }
    }

    @Test
    void watchSeesOnlyKeysUnderItsPrefix() throws Exception {
        long start = store.currentRevision();
        store.create("/w/1", bytes("x"));
        store.create("/wx/1", bytes("x"));
        try (Watch w = store.watch("/w/", start)) {
            store.create("/w", bytes("x"));
            store.create("/w/2", bytes("x"));
            store.create("/wy/2", bytes("x"));
            assertThat(take(w, 2)).extracting(e -> e.kv().key()).containsExactly("/w/1", "/w/2");
            assertThat(w.next(QUIET)).isNull();
        }
    }

    @Test
    void watchFromTheCurrentRevisionSeesOnlyLaterChanges() throws Exception {
        store.create("/w/old", bytes("x"));
        try (Watch w = store.watch("/w/", store.currentRevision())) {
            assertThat(w.next(QUIET)).isNull();
            KeyValue kv = store.create("/w/new", bytes("x"));
            assertThat(w.next(WAIT).revision()).isEqualTo(kv.modRevision());
        }
    }

    @Test
    void watchFromAFutureRevisionStartsThere() throws Exception {
        long start = store.currentRevision();
        try (Watch w = store.watch("/w/", start + 2)) {
            store.create("/w/1", bytes("x"));
            store.create("/w/2", bytes("x"));
            KeyValue third = store.create("/w/3", bytes("x"));
            assertThat(w.next(WAIT).revision()).isEqualTo(third.modRevision());
            assertThat(w.next(QUIET)).isNull();
        }
    }

    @Test
    void watchesOpenedWhileWritersRaceMissNothingAndRepeatNothing() throws Exception {
        int writers = 8;
        int perWriter = 500;
        Set<Long> written = ConcurrentHashMap.newKeySet();
        Map<Long, Watch> watches = new ConcurrentHashMap<>(); // by the revision each starts after
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        written.add(store.create("/race/" + thread + "/" + i, bytes("x")).modRevision());
                        if (thread < 2 && i % 50 == 25) {
                            // Thread 0 watches live from the moving head; thread 1 from a little before it,
                            // so its watches read history and switch to live while the others keep writing.
                            long from = Math.max(0, store.currentRevision() - thread * 100);
                            watches.put(from, store.watch("/race/", from));
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(written).hasSize(writers * perWriter);
        assertThat(watches).hasSizeGreaterThanOrEqualTo(15);
        for (var entry : watches.entrySet()) {
            try (Watch w = entry.getValue()) {
                List<Long> expected = written.stream().filter(r -> r > entry.getKey()).sorted().toList();
                assertThat(take(w, expected.size())).extracting(WatchEvent::revision)
                        .as("watch after revision %d", entry.getKey()).containsExactlyElementsOf(expected);
                assertThat(w.next(QUIET)).isNull();
            }
        }
    }

    @Test
    void aWatcherThatFallsBehindIsEnded() throws Exception {
        try (Watch slow = store.watch("/s/", store.currentRevision())) {
            writeConcurrently("/s/", 4, watchBacklogLimit() / 4 + 100);
            assertThatThrownBy(() -> slow.next(WAIT)).isInstanceOf(WatchClosedException.class);
        }
        try (Watch healthy = store.watch("/s/", store.currentRevision())) {
            store.create("/s/after", bytes("x"));
            assertThat(healthy.next(WAIT).kv().key()).isEqualTo("/s/after");
        }
    }

    @Test
    void closingTheStoreEndsItsWatches() throws Exception {
        Watch idle = store.watch("/t/", store.currentRevision());
        Watch waiting = store.watch("/t/", store.currentRevision());
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<WatchEvent> blocked = pool.submit(() -> waiting.next(Duration.ofMinutes(5)));
            store.close();
            assertThatThrownBy(() -> blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasCauseInstanceOf(WatchClosedException.class);
        }
        assertThatThrownBy(() -> idle.next(WAIT)).isInstanceOf(WatchClosedException.class);
        store = newStore(dir);
    }

    // --- compaction

    @Test
    void compactionRejectsReadsAndWatchesBelowIt() throws Exception {
        KeyValue first = store.create("/c/a", bytes("1"));
        store.update("/c/a", bytes("2"), 0);
        long compactAt = store.currentRevision();
        store.create("/c/b", bytes("b"));
        store.compact(compactAt);

        assertThat(store.compactedRevision()).isEqualTo(compactAt);
        assertThatThrownBy(() -> store.range("/c/", null, 0, first.modRevision()))
                .isInstanceOfSatisfying(CompactedException.class, e -> assertThat(e.compacted()).isEqualTo(compactAt));
        assertThatThrownBy(() -> store.watch("/c/", first.modRevision()))
                .isInstanceOfSatisfying(CompactedException.class, e -> assertThat(e.requested()).isEqualTo(first.modRevision()));
        assertThat(store.range("/c/", null, 0, compactAt).items()).extracting(StoreContractTest::text).containsExactly("2");
        try (Watch w = store.watch("/c/", compactAt)) {
            assertThat(w.next(WAIT).kv().key()).isEqualTo("/c/b");
        }
    }

    @Test
    void compactionKeepsTheNewestValueOfEveryLiveKeyAndDropsDeletedOnes() {
        for (int i = 0; i < 20; i++) {
            store.create("/c/" + i, bytes("0"));
            for (int v = 1; v <= 3; v++) {
                store.update("/c/" + i, bytes(String.valueOf(v)), 0);
            }
            if (i % 4 == 0) {
                store.delete("/c/" + i, 0);
            }
        }
        Map<String, Long> before = new LinkedHashMap<>();
        store.range("/c/", null, 0, 0).items().forEach(kv -> before.put(kv.key(), kv.modRevision()));
        store.compact(store.currentRevision());

        RangeResult after = store.range("/c/", null, 0, 0);
        assertThat(after.items()).hasSize(15).allSatisfy(kv -> {
            assertThat(text(kv)).isEqualTo("3");
            assertThat(kv.modRevision()).isEqualTo(before.get(kv.key()));
        });
        assertThat(store.get("/c/0")).isEmpty();
        assertThat(store.range("/c/", null, 0, store.compactedRevision()).items()).hasSize(15);
        KeyValue kv = store.get("/c/1").orElseThrow();
        assertThat(store.update("/c/1", bytes("4"), kv.modRevision()).createRevision()).isEqualTo(kv.createRevision());
        assertThat(store.create("/c/0", bytes("reborn")).createRevision()).isEqualTo(store.currentRevision());
    }

    @Test
    void compactionNeverMovesBackwards() {
        List<Long> revisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            revisions.add(store.create("/c/" + i, bytes("x")).modRevision());
        }
        store.compact(revisions.get(7));
        store.compact(revisions.get(3));
        assertThat(store.compactedRevision()).isEqualTo(revisions.get(7));
        assertThat(store.range("/c/", null, 0, revisions.get(7)).items()).hasSize(8);
    }

    @Test
    void compactorKeepsTheNewestRevisionsInTheBackground() {
        for (int i = 0; i < 30; i++) {
            store.create("/c/" + i, bytes("x"));
        }
        try (Compactor compactor = new Compactor(store, Duration.ofMillis(20), 10)) {
            compactor.start();
            await().atMost(WAIT).until(() -> store.compactedRevision() == store.currentRevision() - 10);
        }
        assertThat(store.range("/c/", null, 0, 0).items()).hasSize(30);
        assertThat(store.range("/c/", null, 0, store.currentRevision() - 10).items()).hasSize(20);
    }

    // --- durability

    @Test
    void everythingSurvivesReopening() throws Exception {
        store.create("/d/1", bytes("1"));
        long old = store.currentRevision();
        store.update("/d/1", bytes("2"), 0);
        store.create("/d/2", bytes("x"));
        store.delete("/d/2", 0);
        store.create("/d/3", bytes("3"));
        long revision = store.currentRevision();
        store.compact(old);
        store.close();

        store = newStore(dir);
        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(store.compactedRevision()).isEqualTo(old);
        assertThat(store.range("/d/", null, 0, 0).items()).extracting(StoreContractTest::text).containsExactly("2", "3");
        assertThat(store.range("/d/", null, 0, old).items()).extracting(StoreContractTest::text).containsExactly("1");
        try (Watch w = store.watch("/d/", old)) {
            assertThat(take(w, 4)).extracting(WatchEvent::type).containsExactly(Type.UPDATED, Type.CREATED, Type.DELETED, Type.CREATED);
        }
        assertThat(store.create("/d/4", bytes("4")).modRevision()).isGreaterThan(revision);
    }

    @Test
    void revisionsAreNeverReusedAfterCompactionAndReopening() {
        store.create("/k", bytes("x"));
        KeyValue deleted = store.delete("/k", 0);
        store.compact(deleted.modRevision()); // the newest change is gone from history now
        store.close();
        store = newStore(dir);
        assertThat(store.currentRevision()).isEqualTo(deleted.modRevision());
        assertThat(store.create("/k", bytes("y")).modRevision()).isGreaterThan(deleted.modRevision());
    }

    @Test
    @Timeout(120)
    void acknowledgedWritesSurviveAKilledWriterProcess() throws Exception {
        Path crashDir = dir.resolve("crashed");
        Path errors = dir.resolve("crash-writer.err");
        Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), StoreCrashWriter.class.getName(), getClass().getName(), crashDir.toString())
                .redirectError(errors.toFile()).start();
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (acknowledged.size() >= 1_000 && writer.isAlive()) {
                    // SIGKILL while its threads keep writing. Through the handle, because Process.destroyForcibly
                    // also closes our end of the pipe, and lines printed before the kill are acknowledged writes too.
                    writer.toHandle().destroyForcibly();
                }
                String[] fields = line.split(" ");
                if (fields.length == 3 && fields[2].equals(".")) {
                    acknowledged.put(fields[0], Long.parseLong(fields[1]));
                }
            }
        } finally {
            writer.destroyForcibly();
            writer.waitFor();
        }
        assertThat(acknowledged).as("writer's errors: %s", Files.exists(errors) ? Files.readString(errors) : "")
                .hasSizeGreaterThanOrEqualTo(1_000);

        try (Store reopened = newStore(crashDir)) {
            acknowledged.forEach((key, revision) -> assertThat(reopened.get(key)).as(key).hasValueSatisfying(kv -> {
                assertThat(kv.modRevision()).isEqualTo(revision);
                assertThat(text(kv)).isEqualTo(key);
            }));
            assertThat(reopened.currentRevision()).isGreaterThanOrEqualTo(acknowledged.values().stream().max(Long::compare).orElseThrow());
        }
    }

    // --- helpers

    /** Creates perThread keys under prefix from each of threads threads; returns their revisions. */
    protected List<Long> writeConcurrently(String prefix, int threads, int perThread) throws Exception {
        List<Long> revisions = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.create(prefix + thread + "/" + i, bytes("x")).modRevision());
                    }
                    return mine;
                }));
            }
            for (Future<List<Long>> f : done) {
                revisions.addAll(f.get());
            }
        }
        return revisions;
    }

    /** The next n events of w, failing when one does not come in time. */
    protected static List<WatchEvent> take(Watch w, int n) throws InterruptedException {
        List<WatchEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            WatchEvent e = w.next(WAIT);
            assertThat(e).as("event %d of %d", i + 1, n).isNotNull();
            events.add(e);
        }
        return events;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(KeyValue kv) {
        return new String(kv.value(), UTF_8);
    }
}
