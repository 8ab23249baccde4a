package io.capstan.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The names a read covers: from {@code from} (exclusive or not) to below {@code end} (null: no end).
 * Bounds rather than LIKE, so SQLite walks the (name, id) index over exactly the prefix.
 */
record KeySpan(String from, boolean exclusive, String end) {

    /** Keys starting with prefix, strictly after startAfter when that is given. */
    static KeySpan of(String prefix, String startAfter) {
        String end = prefixEnd(prefix);
        if (startAfter != null && startAfter.compareTo(prefix) >= 0) {
            return new KeySpan(startAfter, true, end);
        }
        return new KeySpan(prefix, false, end);
    }

    /** The same span, strictly after key. */
    KeySpan after(String key) {
        return new KeySpan(key, true, end);
    }

    /** The SQL condition on column; its parameters are bound by {@link #bind}. */
    String condition(String column) {
        return column + (exclusive ? " > ?" : " >= ?") + (end == null ? "" : " AND " + column + " < ?");
    }

    /** Binds the condition's parameters from index on; returns the next free index. */
    int bind(PreparedStatement ps, int index) throws SQLException {
        ps.setString(index++, from);
        if (end != null) {
            ps.setString(index++, end);
        }
        return index;
    }

    /** The smallest string above every string starting with prefix; null when there is none to write. */
    static String prefixEnd(String prefix) {
        for (int i = prefix.length() - 1; i >= 0; i--) {
            char c = prefix.charAt(i);
            if (c < Character.MIN_SURROGATE - 1) {
                return prefix.substring(0, i) + (char) (c + 1);
            }
        }
        return null;
    }
}
