package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes Kubernetes protobuf bodies (magic "k8s\0" + runtime.Unknown) into the same JSON tree a
 * JSON body gives, using the generated descriptors of client-java-proto. kubectl's imperative
 * generators send these; the types whose JSON is not their message shape are mapped by hand.
 */
final class ProtobufDecoder {

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    /** Go structs embedded with `json:",inline"`: a field of their own in protobuf, their fields the parent's in JSON. */
    private static final Set<String> INLINE = Set.of("ingressRuleValue", "volumeSource", "persistentVolumeSource", "ephemeralContainerCommon");
    private static final Map<String, Descriptor> MESSAGES = index();

    private ProtobufDecoder() {}

    private static Map<String, Descriptor> index() {
        Map<String, Descriptor> messages = new HashMap<>();
        List<FileDescriptor> files = List.of(io.kubernetes.client.proto.V1.getDescriptor(),
                io.kubernetes.client.proto.V1Apps.getDescriptor(), io.kubernetes.client.proto.V1Batch.getDescriptor(),
                io.kubernetes.client.proto.V1Rbac.getDescriptor(), io.kubernetes.client.proto.V1Networking.getDescriptor(),
                io.kubernetes.client.proto.V1Coordination.getDescriptor(), io.kubernetes.client.proto.V1Policy.getDescriptor(),
                io.kubernetes.client.proto.V1Scheduling.getDescriptor(), io.kubernetes.client.proto.V1Storage.getDescriptor(),
                io.kubernetes.client.proto.V1Discovery.getDescriptor(), io.kubernetes.client.proto.V1Events.getDescriptor(),
                io.kubernetes.client.proto.V1Node.getDescriptor(), io.kubernetes.client.proto.V2Autoscaling.getDescriptor(),
                io.kubernetes.client.proto.V1Autoscaling.getDescriptor(), io.kubernetes.client.proto.V1Authentication.getDescriptor(),
                io.kubernetes.client.proto.V1Authorization.getDescriptor(), io.kubernetes.client.proto.V1Apiextensions.getDescriptor(),
                io.kubernetes.client.proto.V1Certificates.getDescriptor());
        for (FileDescriptor f : files) {
            for (Descriptor d : f.getMessageTypes()) {
                messages.put(d.getFullName(), d);
            }
        }
        return messages;
    }

    static boolean isProtobuf(byte[] body) {
        return body.length >= 4 && body[0] == MAGIC[0] && body[1] == MAGIC[1] && body[2] == MAGIC[2] && body[3] == MAGIC[3];
    }

    static ObjectNode decode(byte[] body) {
        if (!isProtobuf(body)) {
            throw StatusException.badRequest("provided protobuf object does not have the Kubernetes magic prefix");
        }
        try {
            Runtime.Unknown unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, 4, body.length - 4));
            String apiVersion = unknown.getTypeMeta().getApiVersion();
            String kind = unknown.getTypeMeta().getKind();
            Descriptor descriptor = MESSAGES.get(protoPackage(apiVersion) + "." + kind);
            if (descriptor == null) {
                throw StatusException.unsupportedMediaType("application/vnd.kubernetes.protobuf");
            }
            DynamicMessage message = DynamicMessage.parseFrom(descriptor, unknown.getRaw());
            ObjectNode obj = Json.object().put("apiVersion", apiVersion).put("kind", kind);
            obj.setAll((ObjectNode) toJson(message));
            flattenInline(obj);
            return obj;
        } catch (InvalidProtocolBufferException e) {
            throw StatusException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
        }
    }

    /** "apps/v1" is k8s.io.api.apps.v1, "v1" is k8s.io.api.core.v1, CRDs live in the apiextensions-apiserver package. */
    static String protoPackage(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return "k8s.io.api.core." + apiVersion;
        }
        String group = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (group.equals("apiextensions.k8s.io")) {
            return "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions." + version;
        }
        return "k8s.io.api." + group.split("\\.")[0] + "." + version;
    }

    private static JsonNode toJson(Message message) {
        String type = message.getDescriptorForType().getFullName();
        switch (type) {
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
                return JsonNodeFactory.instance.textNode(stringField(message, "string"));
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
                long kind = (Long) message.getField(message.getDescriptorForType().findFieldByName("type"));
                return kind == 1 ? JsonNodeFactory.instance.textNode(stringField(message, "strVal"))
                        : JsonNodeFactory.instance.numberNode((Integer) message.getField(message.getDescriptorForType().findFieldByName("intVal")));
            }
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
                return time(message, false);
            case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
                return time(message, true);
            case "k8s.io.apimachinery.pkg.runtime.RawExtension":
            case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1":
                return raw(message);
            default:
                break;
        }
        ObjectNode obj = Json.object();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            JsonNode value;
            if (f.isMapField()) {
                ObjectNode map = Json.object();
                for (Object entry : (List<?>) e.getValue()) {
                    Message m = (Message) entry;
                    FieldDescriptor k = m.getDescriptorForType().findFieldByName("key");
                    FieldDescriptor v = m.getDescriptorForType().findFieldByName("value");
                    map.set(String.valueOf(m.getField(k)), scalar(v, m.getField(v)));
                }
                value = map;
            } else if (f.isRepeated()) {
                ArrayNode array = Json.array();
                for (Object item : (List<?>) e.getValue()) {
                    array.add(scalar(f, item));
                }
                value = array;
            } else {
                value = scalar(f, e.getValue());
            }
            // Go writes every non-pointer scalar, set or not; its JSON (omitempty) would leave "", false and 0 out, so do we.
            if (value != null && !value.isNull() && (f.isRepeated() || !zeroOfPlainField(f.getName(), value))) {
                obj.set(f.getName(), value);
            }
        }
        return obj;
    }

    /**
     * Fields that are pointers in Go, where false or 0 is a value of its own (replicas: 0, runAsUser: 0,
     * automountServiceAccountToken: false). Protobuf cannot tell them from plain fields, so they are named here.
     */
    private static final java.util.Set<String> POINTER_FIELDS = java.util.Set.of(
            "replicas", "runAsUser", "runAsGroup", "fsGroup", "terminationGracePeriodSeconds", "activeDeadlineSeconds",
            "progressDeadlineSeconds", "revisionHistoryLimit", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes", "completions",
            "parallelism", "ttlSecondsAfterFinished", "startingDeadlineSeconds", "successfulJobsHistoryLimit",
            "failedJobsHistoryLimit", "tolerationSeconds", "defaultMode", "mode", "priority", "partition", "expirationSeconds",
            "automountServiceAccountToken", "runAsNonRoot", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem",
            "shareProcessNamespace", "hostUsers", "enableServiceLinks", "setHostnameAsFQDN", "optional", "suspend", "immutable",
            "manualSelector", "allocateLoadBalancerNodePorts", "minAvailable", "maxUnavailable", "maxSurge", "unhealthyPodEvictionPolicy");

    private static boolean zeroOfPlainField(String name, JsonNode value) {
        boolean zero = (value.isTextual() && value.asText().isEmpty()) || (value.isBoolean() && !value.asBoolean())
                || (value.isIntegralNumber() && value.asLong() == 0);
        return zero && (value.isTextual() || !POINTER_FIELDS.contains(name));
    }

    private static JsonNode scalar(FieldDescriptor f, Object value) {
        return switch (f.getJavaType()) {
            case MESSAGE -> toJson((Message) value);
            case BYTE_STRING -> JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case INT -> JsonNodeFactory.instance.numberNode((Integer) value);
            case LONG -> JsonNodeFactory.instance.numberNode((Long) value);
            case BOOLEAN -> JsonNodeFactory.instance.booleanNode((Boolean) value);
            case DOUBLE -> JsonNodeFactory.instance.numberNode((Double) value);
            case FLOAT -> JsonNodeFactory.instance.numberNode((Float) value);
            default -> JsonNodeFactory.instance.textNode(String.valueOf(value));
        };
    }

    private static String stringField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return f == null ? "" : String.valueOf(m.getField(f));
    }

    /** Go marshals a zero time as null; others as RFC 3339 (MicroTime with microseconds). */
    private static JsonNode time(Message m, boolean micro) {
        long seconds = (Long) m.getField(m.getDescriptorForType().findFieldByName("seconds"));
        int nanos = (Integer) m.getField(m.getDescriptorForType().findFieldByName("nanos"));
        if (seconds == 0 && nanos == 0) {
            return null;
        }
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        String text = micro ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(t)
                : t.truncatedTo(ChronoUnit.SECONDS).toString();
        return JsonNodeFactory.instance.textNode(text);
    }

    private static JsonNode raw(Message m) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName("raw");
        if (f == null) {
            f = m.getDescriptorForType().findFieldByName("Raw");
        }
        ByteString bytes = f == null ? ByteString.EMPTY : (ByteString) m.getField(f);
        if (bytes.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes.toByteArray());
        } catch (IOException e) {
            throw StatusException.badRequest("embedded object is not JSON: " + e.getMessage());
        }
    }

    /** Moves the fields of inline structs up into their parent, everywhere in the tree. */
    private static void flattenInline(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            for (String name : INLINE) {
                if (obj.get(name) instanceof ObjectNode inline) {
                    obj.remove(name);
                    obj.setAll(inline);
                }
            }
            obj.forEach(ProtobufDecoder::flattenInline);
        } else if (node != null && node.isArray()) {
            node.forEach(ProtobufDecoder::flattenInline);
        }
    }
}
