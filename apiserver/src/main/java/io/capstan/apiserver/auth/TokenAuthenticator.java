package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
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
        return BearerToken.of(exchange).flatMap(this::lookup);
    }

    /** These tokens carry no audience: they are good for the API server's own only, as kube-apiserver's static tokens. */
    @Override
    public Optional<TokenUser> authenticateToken(String token, List<String> audiences) {
        if (!audiences.contains(ServiceAccountTokens.ISSUER)) {
            return Optional.empty();
        }
        return lookup(token).map(user -> new TokenUser(user, List.of(ServiceAccountTokens.ISSUER)));
    }

    private Optional<UserInfo> lookup(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison so response timing does not leak token prefixes.
        for (Map.Entry<String, UserInfo> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}
