package io.capstan.agent.env;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion (third_party/forked/golang/expansion): {@code $$} is an escaped {@code $},
 * a reference the mapping does not know stays as written, and a {@code $} not starting a reference is kept.
 * Also used for command, args and subPathExpr.
 */
public final class Expansion {

    private Expansion() {}

    /** Expands {@code input} with {@code mapping}, which returns null for names it does not know. */
    public static String expand(String input, Function<String, String> mapping) {
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    String value = mapping.apply(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    advance = close - cursor;
                }
            } else {
                // Not a reference: the operator and the character after it are copied. Code points beyond the
                // BMP take two chars, which Go's rune decoding consumes at once.
                int width = Character.charCount(input.codePointAt(cursor + 1));
                out.append('$').append(input, cursor + 1, cursor + 1 + width);
                advance = width;
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input, Math.min(checkpoint, input.length()), input.length()).toString();
    }

    /**
     * A container's command or args with {@code $(VAR)} references to its environment expanded, as the kubelet's
     * ExpandContainerCommandAndArgs does.
     *
     * @param env the container's environment as {@code NAME=value}
     */
    public static List<String> expandAll(List<String> args, List<String> env) {
        Map<String, String> vars = new HashMap<>();
        for (String line : env) {
            int eq = line.indexOf('=');
            vars.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
        }
        List<String> out = new ArrayList<>();
        for (String arg : args == null ? List.<String>of() : args) {
            out.add(expand(arg, vars::get));
        }
        return out;
    }
}
