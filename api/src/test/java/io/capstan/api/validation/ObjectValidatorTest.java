package io.capstan.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.LabelRules;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectValidatorTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    private final ObjectValidator validator = new ObjectValidator();

    @Test
    void namesMustBeDns1123Subdomains() {
        assertThat(messages(create("", "configmaps", "{\"metadata\":{\"name\":\"Not_Valid\"}}")))
                .containsExactly("metadata.name: Invalid value: \"Not_Valid\": " + LabelRules.DNS1123_SUBDOMAIN_MESSAGE);
        assertThat(create("", "configmaps", "{\"metadata\":{\"name\":\"settings.v2\"}}")).isEmpty();
        assertThat(messages(create("", "configmaps", "{\"metadata\":{\"name\":\"" + "a".repeat(254) + "\"}}")))
                .containsExactly("metadata.name: Invalid value: \"" + "a".repeat(254) + "\": must be no more than 253 characters");
    }

    @Test
    void namespaceNamesAreDns1123LabelsAndServiceNamesDns1035Labels() {
        assertThat(messages(create("", "namespaces", "{\"metadata\":{\"name\":\"team.a\"}}")))
                .containsExactly("metadata.name: Invalid value: \"team.a\": must not contain dots");
        assertThat(messages(create("", "services", "{\"metadata\":{\"name\":\"1web\"},\"spec\":{\"ports\":[{\"port\":80}]}}")))
                .containsExactly("metadata.name: Invalid value: \"1web\": " + LabelRules.DNS1035_LABEL_MESSAGE);
    }

    @Test
    void aNameOrGenerateNameIsRequired() {
        List<FieldError> errors = create("", "configmaps", "{\"metadata\":{}}");
        assertThat(messages(errors)).containsExactly("metadata.name: Required value: name or generateName is required");
        assertThat(errors.getFirst().type().reason()).isEqualTo("FieldValueRequired");
        assertThat(create("", "configmaps", "{\"metadata\":{\"generateName\":\"web-\",\"name\":\"web-x7k2p\"}}")).isEmpty();
        assertThat(messages(create("", "configmaps", "{\"metadata\":{\"generateName\":\"Web-\",\"name\":\"Web-x7k2p\"}}")))
                .containsExactly("metadata.generateName: Invalid value: \"Web-\": " + LabelRules.DNS1123_SUBDOMAIN_MESSAGE,
                        "metadata.name: Invalid value: \"Web-x7k2p\": " + LabelRules.DNS1123_SUBDOMAIN_MESSAGE);
    }

    @Test
    void labelKeysAndValuesFollowTheLabelRules() {
        assertThat(messages(create("", "configmaps", "{\"metadata\":{\"name\":\"a\",\"labels\":{\"-bad\":\"ok\",\"good\":\"no way\"}}}")))
                .containsExactlyInAnyOrder("metadata.labels: Invalid value: \"-bad\": " + LabelRules.QUALIFIED_NAME_MESSAGE,
                        "metadata.labels: Invalid value: \"no way\": " + LabelRules.LABEL_VALUE_MESSAGE);
        assertThat(messages(create("", "configmaps", "{\"metadata\":{\"name\":\"a\",\"annotations\":{\"Example.COM/Note\":\"any text\"}}}")))
                .as("annotation keys are checked in lower case").isEmpty();
    }

    @Test
    void podsNeedNamedContainersWithImages() {
        assertThat(messages(create("", "pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{}}")))
                .containsExactly("spec.containers: Required value");
        assertThat(messages(create("", "pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\"},"
                + "{\"name\":\"c\",\"image\":\"busybox\"},{\"name\":\"C_1\",\"image\":\"busybox\",\"ports\":[{\"containerPort\":70000}]}],"
                + "\"restartPolicy\":\"Sometimes\"}}")))
                .containsExactly("spec.containers[0].image: Required value",
                        "spec.containers[1].name: Duplicate value: \"c\"",
                        "spec.containers[2].name: Invalid value: \"C_1\": " + LabelRules.DNS1123_LABEL_MESSAGE,
                        "spec.containers[2].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                        "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
    }

    @Test
    void aDeploymentSelectorMustMatchItsTemplateLabels() {
        List<FieldError> errors = create("apps", "deployments", deployment("{\"matchLabels\":{\"app\":\"one\"}}", "{\"app\":\"two\",\"tier\":\"x\"}"));
        assertThat(messages(errors)).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"two\", \"tier\":\"x\"}: `selector` does not match template `labels`");
        assertThat(errors.getFirst().field()).isEqualTo("spec.template.metadata.labels");
        assertThat(errors.getFirst().type().reason()).isEqualTo("FieldValueInvalid");
        StatusException e = StatusException.invalid(type("apps", "deployments"), "web", errors);
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).startsWith("Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: ");
        assertThat(create("apps", "deployments", deployment("{\"matchLabels\":{\"app\":\"one\"}}", "{\"app\":\"one\",\"x\":\"y\"}"))).isEmpty();
    }

    @Test
    void deploymentSelectorsAreRequiredNonEmptyAndWellFormed() {
        assertThat(messages(create("apps", "deployments", deployment(null, "{\"app\":\"a\"}")))).containsExactly(
                "spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"a\"}: `selector` does not match template `labels`");
        assertThat(messages(create("apps", "deployments", deployment("{}", "{\"app\":\"a\"}")))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment");
        assertThat(messages(create("apps", "deployments", deployment(
                "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Near\",\"values\":[\"a\"]},{\"key\":\"tier\",\"operator\":\"In\"}]}",
                "{\"app\":\"a\"}")))).containsExactly(
                "spec.selector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator",
                "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{"
                        + "v1.LabelSelectorRequirement{Key:\"app\", Operator:\"Near\", Values:[]string{\"a\"}}, "
                        + "v1.LabelSelectorRequirement{Key:\"tier\", Operator:\"In\", Values:[]string(nil)}}}: invalid label selector");
        assertThat(messages(create("apps", "deployments", deployment("{\"matchLabels\":{\"app\":\"a\"}}", "{\"app\":\"a\"}")
                .replace("\"replicas\":1", "\"replicas\":-1")))).containsExactly("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void statefulSetsAndDaemonSetsNameTheirKindForEmptySelectors() {
        assertThat(messages(create("apps", "daemonsets", deployment("{}", "{\"app\":\"a\"}").replace("\"replicas\":1,", ""))))
                .singleElement().asString().endsWith("empty selector is invalid for daemonset");
        assertThat(messages(create("apps", "statefulsets", deployment("{}", "{\"app\":\"a\"}"))))
                .singleElement().asString().endsWith("empty selector is invalid for statefulset");
    }

    @Test
    void aWorkloadSelectorIsImmutable() {
        ObjectNode old = object(deployment("{\"matchLabels\":{\"app\":\"a\"}}", "{\"app\":\"a\",\"b\":\"c\"}"));
        ObjectNode next = object(deployment("{\"matchLabels\":{\"app\":\"a\",\"b\":\"c\"}}", "{\"app\":\"a\",\"b\":\"c\"}"));
        assertThat(messages(validator.validateUpdate(type("apps", "deployments"), next, old))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"a\", \"b\":\"c\"}, "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        assertThat(validator.validateUpdate(type("apps", "deployments"), old.deepCopy(), old)).isEmpty();
    }

    @Test
    void aServiceClusterIpMayNotChangeOnceSet() {
        ResourceType services = type("", "services");
        ObjectNode old = object("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"clusterIP\":\"10.0.0.5\",\"clusterIPs\":[\"10.0.0.5\"],"
                + "\"ports\":[{\"port\":80}]}}");
        ObjectNode moved = old.deepCopy();
        ((ObjectNode) moved.get("spec")).put("clusterIP", "10.0.0.9");
        assertThat(messages(validator.validateUpdate(services, moved, old)))
                .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.9\"}: may not change once set");
        ObjectNode relabelled = old.deepCopy();
        Json.with(relabelled, "metadata", "labels").put("a", "b");
        assertThat(validator.validateUpdate(services, relabelled, old)).isEmpty();
        ObjectNode fresh = object("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
        ObjectNode assigned = fresh.deepCopy();
        ((ObjectNode) assigned.get("spec")).put("clusterIP", "10.0.0.7");
        assertThat(validator.validateUpdate(services, assigned, fresh)).as("an unset clusterIP may be set").isEmpty();
    }

    @Test
    void servicesNeedPortsUnlessHeadlessOrExternal() {
        assertThat(messages(create("", "services", "{\"metadata\":{\"name\":\"web\"},\"spec\":{}}"))).containsExactly("spec.ports: Required value");
        assertThat(create("", "services", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"clusterIP\":\"None\"}}")).isEmpty();
        assertThat(messages(create("", "services", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"type\":\"Magic\",\"ports\":[{\"port\":0}]}}")))
                .containsExactly("spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive");
    }

    @Test
    void immutableConfigMapsKeepTheirData() {
        ObjectNode old = object("{\"metadata\":{\"name\":\"c\"},\"immutable\":true,\"data\":{\"a\":\"1\"}}");
        ObjectNode next = object("{\"metadata\":{\"name\":\"c\"},\"immutable\":true,\"data\":{\"a\":\"2\"}}");
        assertThat(messages(validator.validateUpdate(type("", "configmaps"), next, old)))
                .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
        assertThat(messages(create("", "configmaps", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a b\":\"1\"}}")))
                .singleElement().asString().startsWith("data: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters");
    }

    @Test
    void podSpecsChangeOnlyInImagesAndDeadlines() {
        ObjectNode old = object("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}");
        ObjectNode newImage = object("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:2\"}]}}");
        ObjectNode newName = object("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"d\",\"image\":\"busybox:1\"}]}}");
        assertThat(validator.validateUpdate(type("", "pods"), newImage, old)).isEmpty();
        assertThat(messages(validator.validateUpdate(type("", "pods"), newName, old)))
                .singleElement().asString().startsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`");
    }

    @Test
    void jobsRunToCompletion() {
        // The selector is what the API server generates for a Job before validating it.
        String job = "{\"metadata\":{\"name\":\"j\"},\"spec\":{\"selector\":{\"matchLabels\":{\"job-name\":\"j\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"job-name\":\"j\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"b\"}],"
                + "\"restartPolicy\":\"Always\"}}}}";
        assertThat(messages(create("batch", "jobs", job)))
                .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
    }

    private static String deployment(String selector, String templateLabels) {
        return "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":1," + (selector == null ? "" : "\"selector\":" + selector + ",")
                + "\"template\":{\"metadata\":{\"labels\":" + templateLabels + "},"
                + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"busybox\"}]}}}}";
    }

    private List<FieldError> create(String group, String plural, String json) {
        return validator.validateCreate(type(group, plural), object(json));
    }

    private static ResourceType type(String group, String plural) {
        return TYPES.find(group, "v1", plural).orElseThrow();
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes());
    }

    private static List<String> messages(List<FieldError> errors) {
        return errors.stream().map(FieldError::message).toList();
    }
}
