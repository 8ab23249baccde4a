package io.capstan.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of each level at each policy version, laid out ahead as policy.checkRegistry does: for every
 * version from v1.0 to the newest any check knows, the implementation in force of each check, baseline checks
 * first then restricted ones, each group ordered by id; restricted drops the baseline checks its own override.
 * "latest" and versions newer than any check are the newest version.
 */
public final class Evaluator {

    private final Map<Version, List<Check.PodCheck>> baseline = new HashMap<>();
    private final Map<Version, List<Check.PodCheck>> restricted = new HashMap<>();
    private final Version maxVersion;

    Evaluator(List<Check> checks) {
        maxVersion = checks.stream().map(c -> c.versions().getLast().minimumVersion()).max(Comparator.naturalOrder())
                .orElse(Version.of(1, 0));
        List<Check> ordered = new ArrayList<>(checks);
        ordered.sort(Comparator.comparing((Check c) -> c.level() == Level.RESTRICTED).thenComparing(Check::id));
        for (Version v = Version.of(1, 0); !maxVersion.olderThan(v); v = v.nextMinor()) {
            Map<String, Check.Versioned> base = inForce(ordered, Level.BASELINE, v);
            Map<String, Check.Versioned> strict = inForce(ordered, Level.RESTRICTED, v);
            Set<String> overridden = new HashSet<>();
            strict.values().forEach(c -> overridden.addAll(c.overrides()));
            List<Check.PodCheck> restrictedFns = new ArrayList<>();
            base.forEach((id, c) -> {
                if (!overridden.contains(id)) {
                    restrictedFns.add(c.check());
                }
            });
            strict.values().forEach(c -> restrictedFns.add(c.check()));
            baseline.put(v, base.values().stream().map(Check.Versioned::check).toList());
            restricted.put(v, List.copyOf(restrictedFns));
        }
    }

    /** The Kubernetes 1.32 checks. */
    public static Evaluator defaultChecks() {
        List<Check> all = new ArrayList<>();
        all.addAll(HostChecks.all());
        all.addAll(ContainerChecks.all());
        all.addAll(ProfileChecks.all());
        all.addAll(RestrictedChecks.all());
        return new Evaluator(all);
    }

    /** Each check of level at v in id order, as the implementation in force at v. */
    private static Map<String, Check.Versioned> inForce(List<Check> ordered, Level level, Version v) {
        Map<String, Check.Versioned> out = new LinkedHashMap<>();
        for (Check c : ordered) {
            if (c.level() != level) {
                continue;
            }
            Check.Versioned current = null;
            for (Check.Versioned cv : c.versions()) {
                if (!v.olderThan(cv.minimumVersion())) {
                    current = cv;
                }
            }
            if (current != null) {
                out.put(c.id(), current);
            }
        }
        return out;
    }

    /** The verdict of lv's checks on a pod (or template) with this metadata and spec; privileged allows everything. */
    Evaluation evaluate(LevelVersion lv, JsonNode metadata, JsonNode spec) {
        if (lv.level() == Level.PRIVILEGED) {
            return new Evaluation(List.of());
        }
        Version v = maxVersion.olderThan(lv.version()) ? maxVersion : lv.version();
        List<Check.PodCheck> checks = (lv.level() == Level.BASELINE ? baseline : restricted).get(v);
        List<CheckResult> results = new ArrayList<>();
        for (Check.PodCheck check : checks) {
            results.add(check.check(metadata, spec));
        }
        return Evaluation.of(results);
    }
}
