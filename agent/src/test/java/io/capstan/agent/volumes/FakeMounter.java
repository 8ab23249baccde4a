package io.capstan.agent.volumes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Records mounts instead of making them. */
public final class FakeMounter implements Mounter {
    public final List<String> mounts = new ArrayList<>();
    public final List<Path> unmounted = new ArrayList<>();

    @Override
    public void mountTmpfs(Path target, long sizeBytes) {
        mounts.add(target + " size=" + sizeBytes);
    }

    @Override
    public void unmount(Path target) {
        mounts.removeIf(m -> m.startsWith(target + " "));
        unmounted.add(target);
    }

    @Override
    public List<Path> mountPointsUnder(Path dir) {
        return mounts.stream().map(m -> Path.of(m.substring(0, m.indexOf(' ')))).filter(p -> p.startsWith(dir)).toList();
    }
}
