package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/** Bearer tokens from a fixed table (the admin token, later a token file). */
public final class TokenAuthenticator implements Authenticator {

    private final Map<String, UserInfo> tokens;

    public TokenAuthenticator(Map<String, UserInfo> tokens) {
        this.tokens = Map.copyOf(tokens);
    }

    @Override
    public Optional<UserInfo> authenticate(Exchange exchange) {
        Optional<String> bearer = BearerToken.of(exchange);
        if (bearer.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = bearer.get().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison so response timing does not leak token prefixes.
        for (Map.Entry<String, UserInfo> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}
