package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldSelector;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.store.Store;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resourceVersion, resourceVersionMatch, limit and continue on lists, as kube-apiserver's API concepts describe them. */
class ListerTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    private static final ResourceType CONFIGMAPS = TYPES.find("", "v1", "configmaps").orElseThrow();

    @TempDir
    Path dir;
    Store store;
    GenericRegistry registry;
    Lister lister;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, TYPES, Clock.systemUTC());
        lister = new Lister(store);
        registry.create(TYPES.find("", "v1", "namespaces").orElseThrow(), "", object("{\"metadata\":{\"name\":\"ns\"}}"), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void withoutAResourceVersionAListIsTheNewestState() {
        create("a");
        long rv = create("b");
        ListResult all = list(null, null, 0, null);
        assertThat(names(all)).containsExactly("a", "b");
        assertThat(all.resourceVersion()).isEqualTo(rv);
        assertThat(all.continueToken()).isNull();
    }

    @Test
    void exactListsShowTheStateAtThatRevision() {
        long first = create("a");
        create("b");
        registry.delete(CONFIGMAPS, "ns", "a", DeleteOptions.DEFAULT);
        assertThat(names(list(Long.toString(first), "Exact", 0, null))).containsExactly("a");
        assertThat(list(Long.toString(first), "Exact", 0, null).resourceVersion()).isEqualTo(first);
        assertThat(names(list(Long.toString(first), "NotOlderThan", 0, null))).containsExactly("b");
        assertThat(names(list(Long.toString(first), null, 0, null))).as("unset match without limit is NotOlderThan").containsExactly("b");
        assertThat(names(list(Long.toString(first), null, 10, null))).as("unset match with a limit is Exact").containsExactly("a");
        assertThat(names(list("0", null, 0, null))).as("0 is any state, here the newest").containsExactly("b");
    }

    @Test
    void pagesShareOneRevisionAndCountWhatRemains() {
        for (String n : List.of("a", "b", "c", "d", "e")) {
            create(n);
        }
        ListResult first = list(null, null, 2, null);
        assertThat(names(first)).containsExactly("a", "b");
        assertThat(first.remainingItemCount()).isEqualTo(3);
        create("f"); // after the first page: not part of this list
        List<String> rest = new ArrayList<>();
        String token = first.continueToken();
        while (token != null) {
            ListResult page = list(null, null, 2, token);
            assertThat(page.resourceVersion()).isEqualTo(first.resourceVersion());
            rest.addAll(names(page));
            token = page.continueToken();
        }
        assertThat(rest).containsExactly("c", "d", "e");
    }

    @Test
    void filteredPagesAreFullAndHaveNoCount() {
        for (int i = 0; i < 6; i++) {
            ObjectNode cm = object("{\"metadata\":{\"name\":\"cm-" + i + "\",\"labels\":{\"even\":\"" + (i % 2 == 0) + "\"}}}");
            registry.create(CONFIGMAPS, "ns", cm, false);
        }
        ListResult page = lister.list(CONFIGMAPS, "ns", new ListOptions(LabelSelector.parse("even=true"), FieldSelector.everything(),
                null, null, 2, null));
        assertThat(names(page)).containsExactly("cm-0", "cm-2");
        assertThat(page.remainingItemCount()).isNull();
        ListResult next = lister.list(CONFIGMAPS, "ns", new ListOptions(LabelSelector.parse("even=true"), FieldSelector.everything(),
                null, null, 2, page.continueToken()));
        assertThat(names(next)).containsExactly("cm-4");
        assertThat(next.continueToken()).isNull();
    }

    @Test
    void compactedRevisionsAreGone() {
        long first = create("a");
        create("b");
        ListResult page = list(null, null, 1, null);
        for (int i = 0; i < 3; i++) {
            registry.patch(CONFIGMAPS, "ns", "b", "", o -> {
                Json.with(o, "data").put("i", "x" + System.nanoTime());
                return o;
            }, false);
        }
        store.compact(store.currentRevision());
        assertStatus(() -> list(Long.toString(first), "Exact", 0, null), 410, e ->
                assertThat(e.getMessage()).isEqualTo("The resourceVersion for the provided list is too old."));
        assertStatus(() -> list(null, null, 1, page.continueToken()), 410, e ->
                assertThat(e.getMessage()).startsWith("The provided continue parameter is too old to display a consistent list result."));
        assertThat(names(list(Long.toString(first), "NotOlderThan", 0, null))).as("newer state is fine").containsExactly("a", "b");
    }

    @Test
    void aRevisionFromTheFutureTimesOut() {
        long future = store.currentRevision() + 100;
        assertStatus(() -> list(Long.toString(future), "Exact", 0, null), 504, e ->
                assertThat(e.getMessage()).startsWith("Too large resource version: " + future + ", current: "));
    }

    @Test
    void badMatchParametersAre422OnListOptions() {
        assertStatus(() -> list(null, "Exact", 0, null), 422, e -> assertThat(e.getMessage()).isEqualTo(
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"));
        assertStatus(() -> list("5", "Newest", 0, null), 422, e -> assertThat(e.getMessage()).isEqualTo(
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\""));
        assertStatus(() -> list("0", "Exact", 0, null), 422, e -> assertThat(e.getMessage()).endsWith(
                "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
    }

    @Test
    void aContinueTokenTakesNoResourceVersion() {
        create("a");
        create("b");
        String token = list(null, null, 1, null).continueToken();
        assertStatus(() -> list("1", null, 1, token), 400, e ->
                assertThat(e.getMessage()).isEqualTo("specifying resource version is not allowed when using continue"));
        assertStatus(() -> list(null, null, 1, "garbage"), 400, e -> { });
        assertStatus(() -> list("abc", null, 0, null), 400, e -> { });
    }

    private long create(String name) {
        ObjectNode created = registry.create(CONFIGMAPS, "ns", object("{\"metadata\":{\"name\":\"" + name + "\"}}"), false);
        return Long.parseLong(Json.text(created, "metadata", "resourceVersion"));
    }

    private ListResult list(String rv, String match, long limit, String token) {
        return lister.list(CONFIGMAPS, "ns", new ListOptions(LabelSelector.everything(), FieldSelector.everything(), rv, match, limit, token));
    }

    private static List<String> names(ListResult result) {
        return result.items().stream().map(o -> Json.text(o, "metadata", "name")).toList();
    }

    private static void assertStatus(Runnable call, int code, Consumer<StatusException> more) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            more.accept(e);
        });
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes());
    }
}
