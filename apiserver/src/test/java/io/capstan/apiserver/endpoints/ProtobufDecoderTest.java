package io.capstan.apiserver.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.capstan.api.StatusException;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Networking;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Protobuf bodies as kubectl's generators send them become the JSON Kubernetes would serve for the same object. */
class ProtobufDecoderTest {

    @Test
    void aDeploymentKeepsMeaningfulZerosAndDropsUnsetOnes() throws Exception {
        // Go's protobuf writes every non-pointer field: minReadySeconds 0, paused false, tty false arrive set.
        V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setGeneration(0).putLabels("app", "web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0).setPaused(false)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web").setGeneration(0))
                                .setSpec(V1.PodSpec.newBuilder().setHostNetwork(false).setTerminationGracePeriodSeconds(0)
                                        .addContainers(V1.Container.newBuilder().setName("nginx").setImage("nginx:1.27").setTty(false)
                                                .addPorts(V1.ContainerPort.newBuilder().setContainerPort(80).setHostPort(0))))))
                .build();
        ObjectNode json = ProtobufDecoder.decode(wrap("apps/v1", "Deployment", d));
        assertThat(json.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(json.path("kind").asText()).isEqualTo("Deployment");
        assertThat(json.at("/spec/replicas").isInt()).as("replicas: 0 is a wish, not an unset field").isTrue();
        assertThat(json.at("/spec").has("minReadySeconds")).isFalse();
        assertThat(json.at("/spec").has("paused")).isFalse();
        assertThat(json.at("/metadata").has("generation")).isFalse();
        assertThat(json.at("/spec/template/spec").has("hostNetwork")).isFalse();
        assertThat(json.at("/spec/template/spec/terminationGracePeriodSeconds").asInt(-1)).isZero();
        assertThat(json.at("/spec/template/spec/containers/0").has("tty")).isFalse();
        assertThat(json.at("/spec/template/spec/containers/0/ports/0").toString()).isEqualTo("{\"containerPort\":80}");
        assertThat(json.at("/metadata/labels/app").asText()).isEqualTo("web");
    }

    @Test
    void aServiceHasNoNodePortUntilOneIsSet() throws Exception {
        V1.Service svc = V1.Service.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
                .setSpec(V1.ServiceSpec.newBuilder().setType("ClusterIP").setPublishNotReadyAddresses(false).setHealthCheckNodePort(0)
                        .addPorts(V1.ServicePort.newBuilder().setName("80-8080").setPort(80).setNodePort(0)
                                .setTargetPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080))))
                .build();
        ObjectNode json = ProtobufDecoder.decode(wrap("v1", "Service", svc));
        assertThat(json.at("/spec/ports/0").toString()).isEqualTo("{\"name\":\"80-8080\",\"port\":80,\"targetPort\":8080}");
        assertThat(json.at("/spec").has("healthCheckNodePort")).isFalse();
        assertThat(json.at("/spec").has("publishNotReadyAddresses")).isFalse();
    }

    @Test
    void inlineStructsAreFlattenedAsInJson() throws Exception {
        V1Networking.Ingress ing = V1Networking.Ingress.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("ing"))
                .setSpec(V1Networking.IngressSpec.newBuilder().addRules(V1Networking.IngressRule.newBuilder().setHost("foo.com")
                        .setIngressRuleValue(V1Networking.IngressRuleValue.newBuilder().setHttp(V1Networking.HTTPIngressRuleValue.newBuilder()
                                .addPaths(V1Networking.HTTPIngressPath.newBuilder().setPath("/bar").setPathType("Exact")
                                        .setBackend(V1Networking.IngressBackend.newBuilder().setService(V1Networking.IngressServiceBackend
                                                .newBuilder().setName("svc1").setPort(V1Networking.ServiceBackendPort.newBuilder().setNumber(8080)))))))))
                .build();
        ObjectNode json = ProtobufDecoder.decode(wrap("networking.k8s.io/v1", "Ingress", ing));
        assertThat(json.at("/spec/rules/0/http/paths/0/backend/service/port/number").asInt()).isEqualTo(8080);
        assertThat(json.at("/spec/rules/0").has("ingressRuleValue")).isFalse();
        V1.Volume volume = V1.Volume.newBuilder().setName("data")
                .setVolumeSource(V1.VolumeSource.newBuilder().setEmptyDir(V1.EmptyDirVolumeSource.newBuilder().setMedium("Memory"))).build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("p"))
                .setSpec(V1.PodSpec.newBuilder().addVolumes(volume)).build();
        assertThat(ProtobufDecoder.decode(wrap("v1", "Pod", pod)).at("/spec/volumes/0").toString())
                .isEqualTo("{\"name\":\"data\",\"emptyDir\":{\"medium\":\"Memory\"}}");
    }

    @Test
    void secretBytesBecomeBase64AndTimesRfc3339() throws Exception {
        V1.Secret secret = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("s")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0)))
                .putData("a", com.google.protobuf.ByteString.copyFromUtf8("b")).setType("Opaque").build();
        ObjectNode json = ProtobufDecoder.decode(wrap("v1", "Secret", secret));
        assertThat(json.at("/data/a").asText()).isEqualTo("Yg==");
        assertThat(json.at("/metadata").has("creationTimestamp")).as("a zero time is null").isFalse();
    }

    @Test
    void bodiesWithoutTheMagicOrOfUnknownKindsAreRefused() throws Exception {
        assertThatThrownBy(() -> ProtobufDecoder.decode(new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> ProtobufDecoder.decode(wrap("example.com/v1", "Widget", V1.Pod.getDefaultInstance())))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(415));
        byte[] truncated = wrap("v1", "Pod", V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("p")).build());
        assertThatThrownBy(() -> ProtobufDecoder.decode(java.util.Arrays.copyOf(truncated, truncated.length - 3)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    /** What kubectl sends: "k8s\0" and a runtime.Unknown holding the type and the object's bytes. */
    private static byte[] wrap(String apiVersion, String kind, Message object) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'k', '8', 's', 0});
        Runtime.Unknown.newBuilder().setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(object.toByteString()).build().writeTo(out);
        return out.toByteArray();
    }
}
