package io.capstan.apiserver.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' field documentation, read from the Javadoc of the fabric8 model sources (their
 * sources jars are on the class path; fabric8 generates them from Kubernetes' OpenAPI
 * descriptions). fabric8 repeats the owning type's description on fields that refer to another
 * type; those are dropped, since Kubernetes documents such fields on their own.
 */
final class ModelDescriptions {

    /**
     * What the sources say of one model class.
     *
     * @param type the class's description, "" when unknown
     * @param fields JSON property name to description
     */
    record Docs(String type, Map<String, String> fields) {
        static final Docs NONE = new Docs("", Map.of());
    }

    private static final Pattern GETTER = Pattern.compile(
            "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*@JsonProperty\\(\"([^\"]+)\"\\)\\s*public\\s+[^\\s(]+(?:<[^(]*>)?\\s+(?:get|is)\\w*\\(\\)", Pattern.DOTALL);
    private static final Map<Class<?>, Docs> CACHE = new ConcurrentHashMap<>();

    private ModelDescriptions() {}

    static Docs of(Class<?> model) {
        return CACHE.computeIfAbsent(model, ModelDescriptions::read);
    }

    private static Docs read(Class<?> model) {
        String source = source(model);
        if (source == null) {
            return Docs.NONE;
        }
        int declaration = source.indexOf("public class " + model.getSimpleName());
        int docEnd = declaration < 0 ? -1 : source.lastIndexOf("*/", declaration);
        int docStart = docEnd < 0 ? -1 : source.lastIndexOf("/**", docEnd);
        String type = docStart < 0 ? "" : clean(source.substring(docStart + 3, docEnd));
        Map<String, String> fields = new HashMap<>();
        Matcher m = GETTER.matcher(source);
        while (m.find()) {
            String text = clean(m.group(1));
            if (!text.isEmpty() && !text.equals(type)) {
                fields.putIfAbsent(m.group(2), text);
            }
        }
        return new Docs(type, Map.copyOf(fields));
    }

    private static String source(Class<?> model) {
        ClassLoader loader = model.getClassLoader() != null ? model.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(model.getName().replace('.', '/') + ".java")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The Javadoc body as Kubernetes wrote it: comment stars gone, fabric8's paragraph markup back to newlines. */
    static String clean(String javadoc) {
        StringBuilder text = new StringBuilder();
        for (String line : javadoc.split("\n")) {
            String l = line.strip();
            if (l.startsWith("*")) {
                l = l.substring(1).strip();
            }
            if (!l.isEmpty()) {
                text.append(text.isEmpty() ? "" : " ").append(l);
            }
        }
        String s = text.toString();
        if (s.startsWith("No args constructor")) {
            return "";
        }
        return s.replace("<br><p> ", "\n").replace("<br><p>", "\n").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#64;", "@").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
