package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcFinalizersTest {

    static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    static final ResourceType DEPLOYMENTS = TYPES.find("apps", "v1", "deployments").orElseThrow();
    static final ResourceType JOBS = TYPES.find("batch", "v1", "jobs").orElseThrow();

    @Test
    void backgroundNeedsNoFinalizerAndClearsTheCollectorsOnes() {
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, "Background", List.of("a", "orphan"))).containsExactly("a");
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, null, List.of())).isEmpty();
    }

    @Test
    void orphanAndForegroundEachLeaveTheirFinalizerAndReplaceTheOther() {
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, "Orphan", List.of("a"))).containsExactly("a", "orphan");
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, "Foreground", List.of("orphan"))).containsExactly("foregroundDeletion");
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, "Orphan", List.of("foregroundDeletion"))).containsExactly("orphan");
    }

    @Test
    void withoutAPolicyTheObjectsOwnFinalizerDecides() {
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, null, List.of("foregroundDeletion"))).containsExactly("foregroundDeletion");
        assertThat(GcFinalizers.forDelete(DEPLOYMENTS, null, List.of("orphan"))).containsExactly("orphan");
    }

    @Test
    void jobsOrphanTheirPodsByDefaultAsKubernetesDoes() {
        assertThat(GcFinalizers.forDelete(JOBS, null, List.of())).containsExactly("orphan");
        assertThat(GcFinalizers.forDelete(JOBS, "Background", List.of())).isEmpty();
    }
}
