package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.util.Optional;

/** The token of an `Authorization: Bearer` header, shared by the token authenticators. */
final class BearerToken {

    private BearerToken() {}

    static Optional<String> of(Exchange exchange) {
        String header = exchange.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
