package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.Claims;
import io.capstan.controllers.Revisions;
import io.capstan.controllers.StatusUpdates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Keeps each StatefulSet's pods: stable names and storage per ordinal, ordered or parallel
 * creation and removal, rolling updates by revision with a partition, and the status that
 * `kubectl rollout status sts/NAME` reads.
 */
public final class StatefulSetController implements Reconciler {

    private final Api api;
    private final ObjectCache sets;
    private final ObjectCache pods;
    private final ObjectCache revisions;
    private final StatefulPodControl control;
    private final SetHistory history;
    private final Clock clock;

    public StatefulSetController(Api api, ObjectCache sets, ObjectCache pods, ObjectCache claims, ObjectCache revisions,
                                 EventRecorder events, Clock clock) {
        this.api = api;
        this.sets = sets;
        this.pods = pods;
        this.revisions = revisions;
        this.control = new StatefulPodControl(api, claims, events);
        this.history = new SetHistory(api);
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode set = sets.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (set == null) {
            return Result.done();
        }
        LabelSelector selector = LabelSelector.fromJson(Json.at(set, "spec", "selector"));
        List<ObjectNode> owned = Claims.claim(api, Kinds.PODS, pods, set,
                p -> selector.matches(p) && StatefulPods.isMemberOf(set, p));
        List<ObjectNode> revs = Revisions.sorted(Claims.claim(api, Kinds.CONTROLLER_REVISIONS, revisions, set, selector::matches));
        SetHistory.Revs current = history.resolve(set, revs);
        SetSync.Outcome outcome;
        try {
            outcome = new SetSync(set, current, owned, control, clock.instant()).run();
        } finally {
            history.truncate(set, owned, revs, current);
        }
        if (!StatusUpdates.write(api, Kinds.STATEFUL_SETS, set, outcome.status())) {
            return Result.requeueAfter(Duration.ofMillis(100));
        }
        if (outcome.waitingOnTime()) {
            return Result.requeueAfter(Duration.ofSeconds(Math.max(1, set.path("spec").path("minReadySeconds").asInt(0))));
        }
        return Result.done();
    }
}
