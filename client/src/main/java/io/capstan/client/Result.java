package io.capstan.client;

import java.time.Duration;

/**
 * What a reconcile asks for next.
 *
 * @param requeueAfter look at the key again after this long; null when nothing is pending
 */
public record Result(Duration requeueAfter) {

    private static final Result DONE = new Result(null);

    public static Result done() {
        return DONE;
    }

    public static Result requeueAfter(Duration delay) {
        return new Result(delay);
    }
}
