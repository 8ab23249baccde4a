package io.capstan.agent.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {

    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "");

    private static String expand(String s) {
        return Expansion.expand(s, VARS::get);
    }

    @Test
    void knownReferencesExpandAndUnknownOnesStayAsWritten() {
        assertThat(expand("$(VAR_A)")).isEqualTo("A");
        assertThat(expand("___$(VAR_A)___$(VAR_B)")).isEqualTo("___A___B");
        assertThat(expand("$(VAR_EMPTY)x")).isEqualTo("x");
        assertThat(expand("$(VAR_DNE)")).isEqualTo("$(VAR_DNE)");
        assertThat(expand("$()")).isEqualTo("$()");
    }

    @Test
    void doubleDollarEscapesAReference() {
        assertThat(expand("$$(VAR_A)")).isEqualTo("$(VAR_A)");
        assertThat(expand("$$$(VAR_A)")).isEqualTo("$A");
        assertThat(expand("$$$$(VAR_A)")).isEqualTo("$$(VAR_A)");
        assertThat(expand("f000-$$VAR_A")).isEqualTo("f000-$VAR_A");
    }

    @Test
    void dollarsThatStartNoReferenceAreKept() {
        assertThat(expand("$VAR_A")).isEqualTo("$VAR_A");
        assertThat(expand("foo$")).isEqualTo("foo$");
        assertThat(expand("$(VAR_A")).isEqualTo("$(VAR_A");
        assertThat(expand("$(VAR_A)$(")).isEqualTo("A$(");
        assertThat(expand("$\uD83D\uDE00x")).isEqualTo("$\uD83D\uDE00x");
        assertThat(expand("$(VAR_A)$")).isEqualTo("A$");
    }

    @Test
    void commandAndArgsExpandAgainstTheContainersEnvironment() {
        assertThat(Expansion.expandAll(List.of("echo", "$(GREETING) $(NAME)", "$$(GREETING)"), List.of("GREETING=hi", "EMPTY=")))
                .containsExactly("echo", "hi $(NAME)", "$(GREETING)");
        assertThat(Expansion.expandAll(null, List.of())).isEmpty();
    }
}
