package io.capstan.apiserver.admission.limitranger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRangerTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes());
    }

    private static final ObjectNode RANGE = json("""
            {'metadata':{'name':'limits'},'spec':{'limits':[{'type':'Container','max':{'cpu':'500m'},
             'default':{'cpu':'300m','memory':'128Mi'},'defaultRequest':{'cpu':'100m'}}]}}""");

    @Test
    void containersWithoutResourcesGetTheDefaultsAndThePodIsAnnotated() {
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}");

        LimitRanger.defaults(pod, List.of(RANGE));

        assertThat(pod.at("/spec/containers/0/resources/limits")).isEqualTo(json("{'cpu':'300m','memory':'128Mi'}"));
        // memory has no defaultRequest: the v1 LimitRange defaults take it from default
        assertThat(pod.at("/spec/containers/0/resources/requests")).isEqualTo(json("{'cpu':'100m','memory':'128Mi'}"));
        assertThat(pod.at("/metadata/annotations").path(LimitRanger.ANNOTATION).asText())
                .isEqualTo("LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c");
    }

    @Test
    void statedValuesStayAndRequestsFollowStatedLimits() {
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','resources':{'limits':{'cpu':'200m','memory':'64Mi'}}}]}}");

        LimitRanger.defaults(pod, List.of());

        assertThat(pod.at("/spec/containers/0/resources/requests")).isEqualTo(json("{'cpu':'200m','memory':'64Mi'}"));
        assertThat(pod.at("/metadata/annotations").isMissingNode()).isTrue();
    }

    @Test
    void aContainerOverMaxIsRefusedInKubernetesWords() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'c','resources':{'limits':{'cpu':'1'},'requests':{'cpu':'100m'}}}]}}");

        assertThat(LimitRanger.podProblems(pod, List.of(RANGE))).containsExactly("maximum cpu usage per Container is 500m, but limit is 1");
        assertThat(LimitRanger.podProblems(json("{'spec':{'containers':[{'name':'c'}]}}"), List.of(RANGE)))
                .containsExactly("maximum cpu usage per Container is 500m.  No limit is specified");
    }

    @Test
    void minRatioAndPodTotalsAreChecked() {
        ObjectNode range = json("""
                {'spec':{'limits':[{'type':'Container','min':{'memory':'32Mi'},'maxLimitRequestRatio':{'cpu':'2'}},
                 {'type':'Pod','max':{'cpu':'1'}}]}}""");
        ObjectNode pod = json("""
                {'spec':{'containers':[{'name':'a','resources':{'requests':{'cpu':'100m','memory':'16Mi'},'limits':{'cpu':'800m','memory':'16Mi'}}},
                 {'name':'b','resources':{'requests':{'cpu':'400m','memory':'64Mi'},'limits':{'cpu':'400m','memory':'64Mi'}}}]}}""");

        List<String> problems = LimitRanger.podProblems(pod, List.of(range));

        assertThat(problems).containsExactly("minimum memory usage per Container is 32Mi, but request is 16Mi",
                "cpu max limit to request ratio per Container is 2, but provided ratio is 8.000000",
                "maximum cpu usage per Pod is 1, but limit is 1200m");
        assertThat(LimitRanger.aggregate(problems)).startsWith("[minimum memory").endsWith("1200m]");
    }

    @Test
    void claimsOutsideTheStorageRangeAreRefused() {
        ObjectNode range = json("{'spec':{'limits':[{'type':'PersistentVolumeClaim','min':{'storage':'1Gi'},'max':{'storage':'2Gi'}}]}}");
        ObjectNode big = json("{'spec':{'resources':{'requests':{'storage':'5Gi'}}}}");
        ObjectNode fits = json("{'spec':{'resources':{'requests':{'storage':'1Gi'}}}}");

        assertThat(LimitRanger.claimProblems(big, List.of(range)))
                .containsExactly("maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi");
        assertThat(LimitRanger.claimProblems(fits, List.of(range))).isEmpty();
    }
}
