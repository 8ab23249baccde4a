package io.capstan.controllers.job;

import java.util.BitSet;

/** An Indexed Job's set of completed indexes and its status form, "1,3-5,7", as Kubernetes writes status.completedIndexes. */
final class CompletedIndexes {

    private CompletedIndexes() {}

    /** Parses the status form, keeping only indexes below completions. */
    static BitSet parse(String text, int completions) {
        BitSet set = new BitSet();
        if (text == null || text.isBlank()) {
            return set;
        }
        for (String part : text.split(",")) {
            try {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
                for (int i = Math.max(0, from); i <= to && i < completions; i++) {
                    set.set(i);
                }
            } catch (NumberFormatException e) {
                // a malformed interval is ignored, as the Job controller does
            }
        }
        return set;
    }

    static String format(BitSet set) {
        StringBuilder s = new StringBuilder();
        int i = set.nextSetBit(0);
        while (i >= 0) {
            int end = set.nextClearBit(i) - 1;
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(i);
            if (end > i) {
                s.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return s.toString();
    }
}
