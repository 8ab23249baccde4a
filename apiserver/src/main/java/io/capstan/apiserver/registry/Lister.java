package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.store.CompactedException;
import io.capstan.store.FutureRevisionException;
import io.capstan.store.KeyValue;
import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lists with Kubernetes' resourceVersion, resourceVersionMatch, limit/continue and selector semantics. */
public final class Lister {

    /** How long a NotOlderThan read waits for a revision the store has not reached yet, as kube-apiserver does. */
    private static final Duration FUTURE_WAIT = Duration.ofSeconds(3);
    private static final int CHUNK = 500;

    private final Store store;

    public Lister(Store store) {
        this.store = store;
    }

    public ListResult list(ResourceType type, String namespace, ListOptions options) {
        String prefix = Keys.prefix(type, namespace);
        long revision = 0;
        String startAfter = null;
        String rv = options.resourceVersion();
        String match = options.resourceVersionMatch();
        boolean hasRv = rv != null && !rv.isEmpty();
        boolean continuing = options.continueToken() != null && !options.continueToken().isEmpty();
        validate(options, hasRv, continuing);
        if (continuing) {
            if (hasRv && !rv.equals("0")) {
                throw StatusException.badRequest("specifying resource version is not allowed when using continue");
            }
            ContinueToken token = ContinueToken.decode(options.continueToken());
            revision = token.revision();
            startAfter = prefix + token.startAfter();
            return page(prefix, startAfter, revision, options, true);
        }
        if (hasRv && !rv.equals("0")) {
            long wanted = parseVersion(rv);
            boolean exact = "Exact".equals(match) || (match == null || match.isEmpty()) && options.limit() > 0;
            if (exact) {
                revision = wanted;
            } else {
                awaitRevision(wanted);
            }
        }
        return page(prefix, null, revision, options, false);
    }

    /** ValidateListOptions: a bad resourceVersionMatch is a 422 on the kind ListOptions, as kube-apiserver answers. */
    private static void validate(ListOptions options, boolean hasRv, boolean continuing) {
        String match = options.resourceVersionMatch();
        if (match == null || match.isEmpty()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        if (!hasRv) {
            errors.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
        }
        if (continuing) {
            errors.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
        }
        if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
            errors.add(FieldError.notSupported("resourceVersionMatch", FieldError.quote(match),
                    "supported values: \"Exact\", \"NotOlderThan\", \"\""));
        }
        if (match.equals("Exact") && "0".equals(options.resourceVersion())) {
            errors.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
        }
        if (!errors.isEmpty()) {
            throw StatusException.invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "ListOptions", "", errors);
        }
    }

    private ListResult page(String prefix, String startAfter, long revision, ListOptions options, boolean continuing) {
        long limit = options.limit();
        List<ObjectNode> items = new ArrayList<>();
        String cursor = startAfter;
        long at = revision;
        RangeResult range;
        try {
            do {
                int chunk = limit > 0 && !options.filters() ? (int) Math.min(limit - items.size(), Integer.MAX_VALUE)
                        : limit > 0 ? (int) Math.max(limit - items.size(), CHUNK) : 0;
                range = store.range(prefix, cursor, chunk, at);
                at = range.revision();
                for (KeyValue kv : range.items()) {
                    cursor = kv.key();
                    ObjectNode obj = ObjectCodec.decode(kv);
                    if (options.labels().matches(obj) && options.fields().matches(obj)) {
                        items.add(obj);
                        if (limit > 0 && items.size() == limit) {
                            break;
                        }
                    }
                }
                if (limit > 0 && items.size() == limit) {
                    boolean more = range.more() || !cursor.equals(range.items().getLast().key());
                    if (!more) {
                        break;
                    }
                    String token = new ContinueToken(at, cursor.substring(prefix.length())).encode();
                    // Unfiltered pages end exactly at the range's last key, so the store's count is what remains.
                    Long remaining = options.filters() ? null : range.remaining();
                    return new ListResult(items, at, token, remaining);
                }
            } while (range.more());
        } catch (CompactedException e) {
            throw StatusException.gone(continuing
                    ? "The provided continue parameter is too old to display a consistent list result. You can start a new list "
                            + "without the continue parameter, or use the continue token in this response to retrieve the remainder "
                            + "of the results. Continuing with the provided token results in an inconsistent list - objects that "
                            + "were created, modified, or deleted between the time the first chunk was returned and now may show up "
                            + "in the list."
                    : "The resourceVersion for the provided list is too old.");
        } catch (FutureRevisionException e) {
            throw tooLarge(revision);
        }
        return new ListResult(items, at, null, null);
    }

    /** Waits briefly for the store to reach a revision a client has seen elsewhere; 504 if it never does. */
    private void awaitRevision(long wanted) {
        long deadline = System.nanoTime() + FUTURE_WAIT.toNanos();
        while (store.currentRevision() < wanted) {
            if (System.nanoTime() > deadline) {
                throw tooLarge(wanted);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw tooLarge(wanted);
            }
        }
    }

    private StatusException tooLarge(long wanted) {
        return StatusException.timeout("Too large resource version: " + wanted + ", current: " + store.currentRevision(), 1);
    }

    /** Parses a resourceVersion parameter; anything but a positive number is a 400. */
    public static long parseVersion(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a non-negative integer");
        }
    }
}
