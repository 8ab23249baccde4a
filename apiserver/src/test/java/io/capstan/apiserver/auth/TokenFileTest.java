package io.capstan.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void readsUsersUidsAndQuotedGroups() throws IOException {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "# comment\nt1,alice,u-1,\"dev,ops\"\n\nt2,bob,u-2\n");

        Map<String, UserInfo> tokens = TokenFile.read(file);

        assertThat(tokens.get("t1").name()).isEqualTo("alice");
        assertThat(tokens.get("t1").uid()).isEqualTo("u-1");
        assertThat(tokens.get("t1").groups()).containsExactly("dev", "ops", "system:authenticated");
        assertThat(tokens.get("t2").groups()).containsExactly("system:authenticated");
    }

    @Test
    void aShortLineIsAnError() throws IOException {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "t1,alice\n");
        assertThatThrownBy(() -> TokenFile.read(file)).isInstanceOf(IOException.class).hasMessageContaining(":1:");
    }
}
