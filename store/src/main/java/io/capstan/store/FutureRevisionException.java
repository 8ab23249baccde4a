package io.capstan.store;

/** A read asked for a revision newer than any written. */
public final class FutureRevisionException extends StoreException {
    public FutureRevisionException(long requested, long current) {
        super("required revision " + requested + " is a future revision (current revision " + current + ")");
    }
}
