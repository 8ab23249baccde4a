package io.capstan.apiserver.registry;

/**
 * meta/v1 DeleteOptions as far as the registry honours them.
 *
 * @param gracePeriodSeconds null when not given
 * @param propagationPolicy Orphan, Background, Foreground or null
 * @param preconditionUid null when not given
 * @param preconditionResourceVersion null when not given
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion, boolean dryRun) {

    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);
}
