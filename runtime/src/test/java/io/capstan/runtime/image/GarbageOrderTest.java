package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GarbageOrderTest {

    private static ImageRecord image(char c, long lastUsed) {
        return new ImageRecord("sha256:" + String.valueOf(c).repeat(64), List.of(), List.of(),
                new ImageConfig(null, null, null, "", "", null, ""), 1, List.of(), List.of(), List.of(), lastUsed);
    }

    @Test
    void unusedImagesGoLeastRecentlyUsedFirst() {
        ImageRecord recent = image('a', 300);
        ImageRecord old = image('b', 100);
        ImageRecord inUse = image('c', 50);
        ImageRecord middle = image('d', 200);
        assertThat(LocalImageStore.collectable(List.of(recent, old, inUse, middle), Set.of(inUse.id())))
                .containsExactly(old, middle, recent);
    }
}
