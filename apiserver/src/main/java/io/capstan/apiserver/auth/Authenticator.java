package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.util.Optional;

/** Finds who sent a request, or nothing when it carries no credentials this authenticator knows. */
public interface Authenticator {

    Optional<UserInfo> authenticate(Exchange exchange);
}
