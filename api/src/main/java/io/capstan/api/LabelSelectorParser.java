package io.capstan.api;

import io.capstan.api.LabelSelector.Operator;
import io.capstan.api.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The string syntax of label selectors, lexed and parsed as apimachinery's labels.Parse does so that
 * a bad selector fails with the same message (e.g. {@code found '', expected: ',' or ')'}).
 */
final class LabelSelectorParser {

    private enum Token { ERROR, END, CLOSE, COMMA, NOT, DOUBLE_EQUALS, EQUALS, GREATER, IDENTIFIER, IN, LESS, NOT_EQUALS, NOT_IN, OPEN }

    private record Item(Token token, String literal) {}

    private static final Map<String, Token> SYMBOLS = Map.ofEntries(Map.entry(")", Token.CLOSE), Map.entry(",", Token.COMMA),
            Map.entry("!", Token.NOT), Map.entry("==", Token.DOUBLE_EQUALS), Map.entry("=", Token.EQUALS),
            Map.entry(">", Token.GREATER), Map.entry("in", Token.IN), Map.entry("<", Token.LESS), Map.entry("!=", Token.NOT_EQUALS),
            Map.entry("notin", Token.NOT_IN), Map.entry("(", Token.OPEN));
    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    /** Thrown with the message Kubernetes gives; LabelSelector turns it into a 400. */
    static final class ParseError extends RuntimeException {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Item> items = new ArrayList<>();
    private int position;

    private LabelSelectorParser(String selector) {
        Lexer lexer = new Lexer(selector);
        Item item;
        do {
            item = lexer.next();
            items.add(item);
        } while (item.token() != Token.END);
    }

    static List<Requirement> parse(String selector) {
        return new LabelSelectorParser(selector).requirements();
    }

    private List<Requirement> requirements() {
        List<Requirement> result = new ArrayList<>();
        while (true) {
            Item next = lookahead(true);
            switch (next.token()) {
                case IDENTIFIER, NOT -> {
                    try {
                        result.add(requirement());
                    } catch (ParseError e) {
                        throw new ParseError("unable to parse requirement: " + e.getMessage());
                    }
                    Item after = consume(true);
                    switch (after.token()) {
                        case END -> {
                            return result;
                        }
                        case COMMA -> {
                            Item t = lookahead(true);
                            if (t.token() != Token.IDENTIFIER && t.token() != Token.NOT) {
                                throw new ParseError("found '" + t.literal() + "', expected: identifier after ','");
                            }
                        }
                        default -> throw new ParseError("found '" + after.literal() + "', expected: ',' or 'end of string'");
                    }
                }
                case END -> {
                    return result;
                }
                default -> throw new ParseError("found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private Requirement requirement() {
        boolean not = false;
        Item key = consume(true);
        if (key.token() == Token.NOT) {
            not = true;
            key = consume(true);
        }
        if (key.token() != Token.IDENTIFIER) {
            throw new ParseError("found '" + key.literal() + "', expected: identifier");
        }
        List<String> keyErrors = LabelRules.qualifiedNameErrors(key.literal());
        if (!keyErrors.isEmpty()) {
            // apimachinery validates the key against a nil field path here, which prints as "<nil>".
            throw new ParseError(FieldError.invalid("<nil>", FieldError.quote(key.literal()), String.join("; ", keyErrors)).message());
        }
        Token t = lookahead(true).token();
        if (not || t == Token.END || t == Token.COMMA) {
            return checked(key.literal(), not ? Operator.DOES_NOT_EXIST : Operator.EXISTS, List.of());
        }
        Item op = consume(false);
        Operator operator = switch (op.token()) {
            case IN -> Operator.IN;
            case NOT_IN -> Operator.NOT_IN;
            case EQUALS, DOUBLE_EQUALS -> Operator.EQUALS;
            case NOT_EQUALS -> Operator.NOT_EQUALS;
            case GREATER -> Operator.GREATER_THAN;
            case LESS -> Operator.LESS_THAN;
            default -> throw new ParseError("found '" + op.literal() + "', expected: " + BINARY_OPERATORS);
        };
        List<String> values = operator == Operator.IN || operator == Operator.NOT_IN ? setValues() : exactValue();
        return checked(key.literal(), operator, values);
    }

    /** `(a,b,c)`: a possibly empty set; empty entries are the empty string. */
    private List<String> setValues() {
        Item open = consume(true);
        if (open.token() != Token.OPEN) {
            throw new ParseError("found '" + open.literal() + "' expected: '('");
        }
        Item first = lookahead(true);
        switch (first.token()) {
            case IDENTIFIER, COMMA -> {
                TreeSet<String> values = identifiers();
                if (consume(true).token() != Token.CLOSE) {
                    throw new ParseError("found '" + first.literal() + "', expected: ')'");
                }
                return List.copyOf(values);
            }
            case CLOSE -> {
                consume(true);
                return List.of("");
            }
            default -> throw new ParseError("found '" + first.literal() + "', expected: ',', ')' or identifier");
        }
    }

    private TreeSet<String> identifiers() {
        TreeSet<String> values = new TreeSet<>();
        while (true) {
            Item item = consume(true);
            switch (item.token()) {
                case IDENTIFIER -> {
                    values.add(item.literal());
                    Item next = lookahead(true);
                    if (next.token() == Token.CLOSE) {
                        return values;
                    }
                    if (next.token() != Token.COMMA) {
                        throw new ParseError("found '" + next.literal() + "', expected: ',' or ')'");
                    }
                }
                case COMMA -> {
                    if (values.isEmpty()) {
                        values.add("");
                    }
                    Token next = lookahead(true).token();
                    if (next == Token.CLOSE) {
                        values.add("");
                        return values;
                    }
                    if (next == Token.COMMA) {
                        values.add("");
                    }
                }
                default -> throw new ParseError("found '" + item.literal() + "', expected: ',', or identifier");
            }
        }
    }

    private List<String> exactValue() {
        Token t = lookahead(true).token();
        if (t == Token.END || t == Token.COMMA) {
            return List.of("");
        }
        Item value = consume(true);
        if (value.token() != Token.IDENTIFIER) {
            throw new ParseError("found '" + value.literal() + "', expected: identifier");
        }
        return List.of(value.literal());
    }

    /** NewRequirement's checks on the values; several failures print as Go's aggregate "[a, b]". */
    private static Requirement checked(String key, Operator op, List<String> values) {
        List<String> errors = new ArrayList<>();
        if (op == Operator.GREATER_THAN || op == Operator.LESS_THAN) {
            for (int i = 0; i < values.size(); i++) {
                try {
                    Long.parseLong(values.get(i));
                } catch (NumberFormatException e) {
                    errors.add(FieldError.invalid("values[" + i + "]", FieldError.quote(values.get(i)),
                            "for 'Gt', 'Lt' operators, the value must be an integer").message());
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrors = LabelRules.labelValueErrors(values.get(i));
            if (!valueErrors.isEmpty()) {
                errors.add(FieldError.invalid("values[" + i + "][" + key + "]", FieldError.quote(values.get(i)),
                        String.join("; ", valueErrors)).message());
            }
        }
        if (!errors.isEmpty()) {
            throw new ParseError(errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]");
        }
        return new Requirement(key, op, values);
    }

    /** In a values context the keywords in and notin are plain identifiers ("x in (in)"). */
    private Item lookahead(boolean values) {
        return asValue(items.get(position), values);
    }

    private Item consume(boolean values) {
        return asValue(items.get(position++), values);
    }

    private static Item asValue(Item item, boolean values) {
        return values && (item.token() == Token.IN || item.token() == Token.NOT_IN) ? new Item(Token.IDENTIFIER, item.literal()) : item;
    }

    /** apimachinery's selector lexer: identifiers, keywords and operator symbols separated by white space. */
    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        Item next() {
            while (pos < s.length() && isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                return new Item(Token.END, "");
            }
            return isSpecial(s.charAt(pos)) ? symbol() : identifierOrKeyword();
        }

        private Item identifierOrKeyword() {
            int start = pos;
            while (pos < s.length() && !isSpecial(s.charAt(pos)) && !isWhitespace(s.charAt(pos))) {
                pos++;
            }
            String word = s.substring(start, pos);
            Token keyword = SYMBOLS.get(word);
            return new Item(keyword != null ? keyword : Token.IDENTIFIER, word);
        }

        /** The longest run of symbol characters that is an operator. */
        private Item symbol() {
            StringBuilder buffer = new StringBuilder();
            Item last = null;
            while (pos < s.length() && isSpecial(s.charAt(pos))) {
                buffer.append(s.charAt(pos++));
                Token t = SYMBOLS.get(buffer.toString());
                if (t != null) {
                    last = new Item(t, buffer.toString());
                } else if (last != null) {
                    pos--;
                    break;
                }
            }
            return last != null ? last : new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static boolean isSpecial(char c) {
            return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
        }
    }
}
