package io.capstan.apiserver.authz;

/** An authorizer's answer: allowed, or not with an optional reason (appended to the Forbidden message). */
public record Decision(boolean allowed, String reason) {

    public static final Decision ALLOW = new Decision(true, "");
    public static final Decision NO_OPINION = new Decision(false, "");
}
