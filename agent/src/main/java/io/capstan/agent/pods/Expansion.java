package io.capstan.agent.pods;

import java.util.Map;

/**
 * Kubernetes' $(VAR) expansion in command, args and env values (third_party/forked/golang/expansion):
 * a defined variable is replaced, {@code $$} is an escaped {@code $}, anything else stays as written.
 */
final class Expansion {

    private Expansion() {}

    static String expand(String input, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length());
                    break;
                }
                String name = input.substring(i + 2, close);
                out.append(env.containsKey(name) ? env.get(name) : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
