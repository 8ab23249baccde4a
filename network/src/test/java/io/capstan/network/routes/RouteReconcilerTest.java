package io.capstan.network.routes;

import static io.capstan.network.routes.NodeRoutesTest.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteReconcilerTest {

    /** Records what would have been run. */
    static final class RecordingTable implements RouteTable {
        final List<String> calls = new ArrayList<>();
        boolean failing;

        @Override
        public void replace(Route route) {
            if (failing) {
                throw new IllegalStateException("Nexthop has invalid gateway");
            }
            calls.add("replace " + route.destination() + " via " + route.gateway());
        }

        @Override
        public void delete(Route route) {
            calls.add("delete " + route.destination() + " via " + route.gateway());
        }
    }

    final RecordingTable table = new RecordingTable();
    final RouteReconciler reconciler = new RouteReconciler("n1", "10.42.0.0/24", table);

    @Test
    void newNodesAreRoutedOnceAndDeletedNodesUnrouted() {
        reconciler.sync(List.of(node("n1", "10.42.0.0/24", "172.31.5.1"), node("n2", "10.42.1.0/24", "172.31.5.2")));
        reconciler.sync(List.of(node("n1", "10.42.0.0/24", "172.31.5.1"), node("n2", "10.42.1.0/24", "172.31.5.2")));
        reconciler.sync(List.of(node("n1", "10.42.0.0/24", "172.31.5.1")));

        assertThat(table.calls).containsExactly("replace 10.42.1.0/24 via 172.31.5.2", "delete 10.42.1.0/24 via 172.31.5.2");
        assertThat(reconciler.installed()).isEmpty();
    }

    @Test
    void aNodeThatMovesToAnotherAddressIsRoutedThere() {
        reconciler.sync(List.of(node("n2", "10.42.1.0/24", "172.31.5.2")));
        reconciler.sync(List.of(node("n2", "10.42.1.0/24", "172.31.5.20")));

        assertThat(table.calls).containsExactly("replace 10.42.1.0/24 via 172.31.5.2", "delete 10.42.1.0/24 via 172.31.5.2",
                "replace 10.42.1.0/24 via 172.31.5.20");
    }

    @Test
    void aRouteThatCouldNotBeWrittenIsTriedAgainOnTheNextPass() {
        table.failing = true;
        reconciler.sync(List.of(node("n2", "10.42.1.0/24", "172.31.5.2")));
        table.failing = false;
        reconciler.sync(List.of(node("n2", "10.42.1.0/24", "172.31.5.2")));

        assertThat(table.calls).containsExactly("replace 10.42.1.0/24 via 172.31.5.2");
        assertThat(reconciler.installed()).containsKey("10.42.1.0/24");
    }

    @Test
    void removeAllTakesBackOnlyWhatItWrote() {
        reconciler.sync(List.of(node("n2", "10.42.1.0/24", "172.31.5.2"), node("n3", "10.42.2.0/24", "172.31.5.3")));
        table.calls.clear();

        reconciler.removeAll();

        assertThat(table.calls).containsExactlyInAnyOrder("delete 10.42.1.0/24 via 172.31.5.2", "delete 10.42.2.0/24 via 172.31.5.3");
    }
}
