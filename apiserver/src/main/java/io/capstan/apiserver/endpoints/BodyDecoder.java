package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import java.io.IOException;
import java.util.Locale;

/** Turns request bodies into JSON trees, refusing what Kubernetes refuses (unknown media types, malformed input). */
public final class BodyDecoder {

    private BodyDecoder() {}

    /** The media type without parameters, lower case; JSON when the header is absent. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/json";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** An object body for create and update (JSON or YAML). */
    static ObjectNode object(byte[] body, String contentType, ResourceType type) {
        String media = mediaType(contentType);
        if (media.equals("application/vnd.kubernetes.protobuf")) {
            ObjectNode obj = ProtobufDecoder.decode(body);
            checkKind(obj, type);
            return obj;
        }
        ObjectMapper mapper = switch (media) {
            case "application/json" -> Json.MAPPER;
            case "application/yaml", "application/x-yaml", "text/yaml" -> Json.YAML;
            default -> throw StatusException.unsupportedMediaType(contentType);
        };
        JsonNode node = parse(mapper, body);
        if (!(node instanceof ObjectNode obj)) {
            throw StatusException.badRequest("Object 'Kind' is missing in '" + preview(body) + "'");
        }
        checkKind(obj, type);
        return obj;
    }

    /** An object body of any kind (JSON, YAML or protobuf), for endpoints that do not store what they take. */
    public static ObjectNode anyObject(byte[] body, String contentType) {
        if (mediaType(contentType).equals("application/vnd.kubernetes.protobuf")) {
            return ProtobufDecoder.decode(body);
        }
        JsonNode node = parse(mediaType(contentType).contains("yaml") ? Json.YAML : Json.MAPPER, body);
        if (!(node instanceof ObjectNode obj)) {
            throw StatusException.badRequest("Object 'Kind' is missing in '" + preview(body) + "'");
        }
        return obj;
    }

    /** A patch document: an object for merge patches, an array for JSON patches. */
    static JsonNode patch(byte[] body, ObjectMapper mapper) {
        return parse(mapper, body);
    }

    static JsonNode parse(ObjectMapper mapper, byte[] body) {
        if (body.length == 0) {
            throw StatusException.badRequest("Object 'Kind' is missing in ''");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw StatusException.badRequest("Object 'Kind' is missing in '" + preview(body) + "'");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw StatusException.badRequest("the body of the request could not be decoded: " + withoutClassNames(e.getOriginalMessage()));
        } catch (IOException e) {
            throw StatusException.badRequest("the body of the request could not be read: " + e.getMessage());
        }
    }

    /** The parser's own words without the Java exception class it sometimes quotes (a YAML body in bad UTF-8 does). */
    static String withoutClassNames(String message) {
        return message == null ? "" : message.replaceAll("(?:[a-z][a-z0-9]*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    }

    /** The kind and apiVersion in a body, when given, must be those of the endpoint. */
    static void checkKind(ObjectNode obj, ResourceType type) {
        String kind = obj.path("kind").asText("");
        String apiVersion = obj.path("apiVersion").asText("");
        if ((!kind.isEmpty() && !kind.equals(type.kind())) || (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion()))) {
            String k = kind.isEmpty() ? type.kind() : kind;
            String v = apiVersion.isEmpty() ? type.apiVersion() : apiVersion;
            throw StatusException.badRequest(k + " in version \"" + v + "\" cannot be handled as a " + type.kind()
                    + ": the kind or apiVersion of the object does not match the endpoint (" + type.apiVersion() + ", " + type.kind() + ")");
        }
        if (!obj.path("metadata").isMissingNode() && !obj.path("metadata").isObject() && !obj.path("metadata").isNull()) {
            throw StatusException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": json: cannot unmarshal " + obj.get("metadata").getNodeType().toString().toLowerCase(Locale.ROOT)
                    + " into Go struct field " + type.kind() + ".metadata of type v1.ObjectMeta");
        }
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8);
        return s.replaceAll("[\\p{Cntrl}]", " ");
    }
}
