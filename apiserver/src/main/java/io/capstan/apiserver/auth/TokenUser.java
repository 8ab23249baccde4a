package io.capstan.apiserver.auth;

import java.util.List;

/** Who a bare token stands for, and the audiences (of those asked about) it is good for: a TokenReview's answer. */
public record TokenUser(UserInfo user, List<String> audiences) {

    public TokenUser {
        audiences = List.copyOf(audiences);
    }
}
