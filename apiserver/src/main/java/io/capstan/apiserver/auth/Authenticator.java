package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.util.List;
import java.util.Optional;

/** Finds who sent a request, or nothing when it carries no credentials this authenticator knows. */
public interface Authenticator {

    Optional<UserInfo> authenticate(Exchange exchange);

    /**
     * Who a bare token stands for when it is good for one of {@code audiences} (a TokenReview); nothing for
     * authenticators that do not take tokens.
     */
    default Optional<TokenUser> authenticateToken(String token, List<String> audiences) {
        return Optional.empty();
    }
}
