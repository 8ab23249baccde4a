package io.capstan.apiserver.authz;

/** Decides whether a user may do what a request asks; runs on every request, so answers from memory. */
public interface Authorizer {

    Decision authorize(Attributes attributes);

    /** Allows everything: for tests and embedded uses that do their own checks. */
    Authorizer ALLOW_ALL = a -> Decision.ALLOW;
}
