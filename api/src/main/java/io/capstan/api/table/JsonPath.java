package io.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple JSONPath of CRD printer columns: {@code .a.b[0].c}, {@code .metadata.labels['app\.io/name']} style
 * bracketed keys, and optional surrounding braces ({@code {.a.b}}). No filters, wildcards or ranges.
 */
public final class JsonPath {

    private final String source;
    private final List<Object> steps; // String field names and Integer indexes

    private JsonPath(String source, List<Object> steps) {
        this.source = source;
        this.steps = steps;
    }

    /** Parses a path; an unsupported one is an IllegalArgumentException naming it. */
    public static JsonPath parse(String path) {
        String p = path.strip();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1).strip();
        }
        if (!p.startsWith(".") && !p.startsWith("[")) {
            throw unsupported(path);
        }
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
                    if (p.charAt(i) == '\\' && i + 1 < p.length()) {
                        i++;
                    }
                    i++;
                }
                String field = p.substring(start, i).replace("\\.", ".");
                if (field.isEmpty() || field.equals("*")) {
                    throw unsupported(path);
                }
                steps.add(field);
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (end < 0) {
                    throw unsupported(path);
                }
                String inside = p.substring(i + 1, end).strip();
                if ((inside.startsWith("'") && inside.endsWith("'") || inside.startsWith("\"") && inside.endsWith("\""))
                        && inside.length() >= 2) {
                    steps.add(inside.substring(1, inside.length() - 1).replace("\\.", "."));
                } else {
                    try {
                        steps.add(Integer.parseInt(inside));
                    } catch (NumberFormatException e) {
                        throw unsupported(path);
                    }
                }
                i = end + 1;
            } else {
                throw unsupported(path);
            }
        }
        return new JsonPath(path, List.copyOf(steps));
    }

    private static IllegalArgumentException unsupported(String path) {
        return new IllegalArgumentException("unrecognized column definition \"" + path + "\"");
    }

    /** The node at this path, MissingNode when any step is absent; a negative index counts from the end. */
    public JsonNode evaluate(JsonNode root) {
        JsonNode n = root;
        for (Object step : steps) {
            if (step instanceof Integer index) {
                if (!n.isArray()) {
                    return MissingNode.getInstance();
                }
                int i = index < 0 ? n.size() + index : index;
                n = i >= 0 && i < n.size() ? n.get(i) : MissingNode.getInstance();
            } else {
                n = n.isObject() ? n.path((String) step) : MissingNode.getInstance();
            }
            if (n.isMissingNode()) {
                return n;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return source;
    }
}
