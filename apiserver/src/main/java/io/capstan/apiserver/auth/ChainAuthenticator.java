package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.util.List;
import java.util.Optional;

/** Asks each authenticator in turn; the first that knows the request wins. */
public final class ChainAuthenticator implements Authenticator {

    private final List<Authenticator> chain;

    public ChainAuthenticator(List<Authenticator> chain) {
        this.chain = List.copyOf(chain);
    }

    @Override
    public Optional<UserInfo> authenticate(Exchange exchange) {
        for (Authenticator a : chain) {
            Optional<UserInfo> user = a.authenticate(exchange);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<TokenUser> authenticateToken(String token, List<String> audiences) {
        for (Authenticator a : chain) {
            Optional<TokenUser> user = a.authenticateToken(token, audiences);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }
}
