package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.api.StatusException;
import org.junit.jupiter.api.Test;

class ContinueTokenTest {

    @Test
    void roundTrips() {
        ContinueToken t = new ContinueToken(42, "default/web-7");
        assertThat(ContinueToken.decode(t.encode())).isEqualTo(t);
    }

    @Test
    void garbageIsABadRequest() {
        for (String bad : new String[] {"garbage", "", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ", "%%%"}) {
            assertThatThrownBy(() -> ContinueToken.decode(bad)).isInstanceOf(StatusException.class)
                    .extracting(e -> ((StatusException) e).code()).isEqualTo(400);
        }
    }
}
