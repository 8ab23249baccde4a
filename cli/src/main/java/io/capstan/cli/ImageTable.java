package io.capstan.cli;

import io.capstan.runtime.image.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table `capstan image ls` prints, laid out as `crictl images` does: IMAGE, TAG, IMAGE ID, SIZE. */
final class ImageTable {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private ImageTable() {}

    static String render(List<Image> images) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IMAGE", "TAG", "IMAGE ID", "SIZE"});
        for (Image image : images) {
            String id = image.id().substring(image.id().indexOf(':') + 1);
            String shortId = id.substring(0, Math.min(13, id.length()));
            String size = humanSize(image.size());
            List<String[]> names = new ArrayList<>();
            for (String ref : image.references()) {
                int colon = ref.lastIndexOf(':');
                names.add(new String[] {ref.substring(0, colon), ref.substring(colon + 1)});
            }
            if (names.isEmpty()) {
                String repo = image.repoDigests().isEmpty() ? "<none>" : image.repoDigests().getFirst().split("@")[0];
                names.add(new String[] {repo, "<none>"});
            }
            for (String[] n : names) {
                rows.add(new String[] {n[0], n[1], shortId, size});
            }
        }
        // crictl's tabwriter: cells at least 20 wide, 3 spaces of padding.
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int c = 0; c < 3; c++) {
                width[c] = Math.max(width[c], Math.max(20, row[c].length() + 3));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < 3; c++) {
                sb.append(row[c]).append(" ".repeat(width[c] - row[c].length()));
            }
            sb.append(row[3]).append('\n');
        }
        return sb.toString();
    }

    /** go-units' HumanSizeWithPrecision(size, 3), which crictl uses: decimal units, three significant digits. */
    static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        String number = String.format(Locale.ROOT, "%.3g", size);
        if (number.contains(".") && !number.contains("e")) {
            number = number.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return number + UNITS[unit];
    }
}
