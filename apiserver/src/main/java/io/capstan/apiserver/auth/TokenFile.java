package io.capstan.apiserver.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' static token file (--token-auth-file): CSV lines {@code token,user,uid,"group1,group2"};
 * the groups column is optional, blank lines and lines starting with # are skipped.
 */
public final class TokenFile {

    private TokenFile() {}

    public static Map<String, UserInfo> read(Path file) throws IOException {
        Map<String, UserInfo> tokens = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> fields = csv(line);
            if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
                throw new IOException(file + ":" + lineNo + ": want token,user,uid[,\"group1,group2\"]");
            }
            List<String> groups = new ArrayList<>();
            if (fields.size() > 3) {
                for (String g : fields.get(3).split(",")) {
                    if (!g.isBlank()) {
                        groups.add(g.strip());
                    }
                }
            }
            groups.add(UserInfo.AUTHENTICATED);
            if (tokens.put(fields.get(0), new UserInfo(fields.get(1), fields.get(2), groups, Map.of())) != null) {
                throw new IOException(file + ":" + lineNo + ": duplicate token");
            }
        }
        return tokens;
    }

    /** One CSV record (RFC 4180 quoting, as Go's encoding/csv reads it). */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
